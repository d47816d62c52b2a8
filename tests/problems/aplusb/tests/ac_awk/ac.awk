NR > 1 { printf "%.0f\n", $1 + $2 }
