/* What a submission to `signature` implements. */
long long add(long long a, long long b);
