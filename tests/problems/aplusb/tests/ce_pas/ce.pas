{ A type error: Free Pascal refuses a string where a number goes }
var
    t: longint;
begin
    t := 'many';
    writeln(t);
end.
