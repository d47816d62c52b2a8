# never flushes: the problem is `unbuffered`
my $n = <STDIN>;
my ($lo, $hi) = (1, $n + 0);
while (1) {
    my $mid = int(($lo + $hi) / 2);
    print "$mid\n";
    my $reply = <STDIN>;
    last if !defined $reply || $reply =~ /^=/;
    if ($reply =~ /^\+/) { $lo = $mid + 1 } else { $hi = $mid - 1 }
}
