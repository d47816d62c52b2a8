gets stdin t
for {set i 0} {$i < $t} {incr i} {
    gets stdin line
    lassign $line a b
    puts [expr {$a + $b}]
}
