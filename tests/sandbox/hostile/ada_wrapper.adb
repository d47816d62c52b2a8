-- expect: CE
-- GNAT passes linker options to the gcc driver, whose -wrapper runs any
-- program in front of the linker: here dash, which would note that it ran
-- and then link. A compile may run only its own toolchain, so the link
-- fails (a compile error) instead of succeeding with dash's help.
with Ada.Text_IO;
procedure Ada_Wrapper is
   pragma Linker_Options ("-wrapper");
   pragma Linker_Options
     ("/usr/bin/dash,-c,echo BREACH-dash-ran >&2; exec ""$0"" ""$@""");
begin
   Ada.Text_IO.Put_Line ("safe");
end Ada_Wrapper;
