# never flushes: the problem is `unbuffered`
NR == 1 { lo = 1; hi = $1 + 0; mid = int((lo + hi) / 2); printf "%d\n", mid; next }
/^=/ { exit }
/^\+/ { lo = mid + 1 }
/^-/ { hi = mid - 1 }
{ mid = int((lo + hi) / 2); printf "%d\n", mid }
