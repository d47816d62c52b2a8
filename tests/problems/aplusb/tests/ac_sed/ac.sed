# A + B in sed: decimal arithmetic one column at a time.
# The first line (the count) goes; each other line "a b" becomes its sum.
# Working form: X;Y;M;S;R|c  (digits of X and Y still to add, mode a =
# add or s = subtract, sign S of a sum, result digits R, carry c).
# Subtraction X - Y adds X, the nines' complement of Y and 1: a carry out
# means X >= Y and R is the difference; none means R = 10^n - (Y - X).
1d
s/^[[:space:]]*//
s/[[:space:]]*$//
s/[[:space:]][[:space:]]*/ /
/^[0-9]* [0-9]*$/{
s/^\([0-9]*\) \([0-9]*\)$/\1;\2;a;;|0/
b loop
}
/^-[0-9]* -[0-9]*$/{
s/^-\([0-9]*\) -\([0-9]*\)$/\1;\2;a;-;|0/
b loop
}
/^[0-9]* -[0-9]*$/{
s/^\([0-9]*\) -\([0-9]*\)$/\1;\2/
b sub
}
s/^-\([0-9]*\) \([0-9]*\)$/\2;\1/
:sub
h
s/^.*;//
y/0123456789/9876543210/
x
s/;.*//
G
s/\n/;/
s/$/;s;;|1/
:loop
t clear0
:clear0
/^;;/b done
# the last digit of X (0 when none) goes after the carry
s/^\([0-9]*\)\([0-9]\);\(.*\)|\(.\)$/\1;\3|\4\2/
t gotx
s/^;\(.*\)|\(.\)$/;\1|\20/
:gotx
t clear1
:clear1
# then the last digit of Y (0 when none; 9, the complement of 0, when subtracting)
s/^\([0-9]*\);\([0-9]*\)\([0-9]\);\(.*\)$/\1;\2;\4\3/
t goty
/^[0-9]*;;a;/s/$/0/
/^[0-9]*;;s;/s/$/9/
:goty
# the three digits after | in unary, then the column's digit and carry
:unary
/|x*[0-9]/{
s/|\(x*\)0/|\1/
s/|\(x*\)1/|\1x/
s/|\(x*\)2/|\1xx/
s/|\(x*\)3/|\1xxx/
s/|\(x*\)4/|\1xxxx/
s/|\(x*\)5/|\1xxxxx/
s/|\(x*\)6/|\1xxxxxx/
s/|\(x*\)7/|\1xxxxxxx/
s/|\(x*\)8/|\1xxxxxxxx/
s/|\(x*\)9/|\1xxxxxxxxx/
b unary
}
s/|xxxxxxxxxx/|C/
s/|\(C\{0,1\}\)xxxxxxxxx$/|\19/
s/|\(C\{0,1\}\)xxxxxxxx$/|\18/
s/|\(C\{0,1\}\)xxxxxxx$/|\17/
s/|\(C\{0,1\}\)xxxxxx$/|\16/
s/|\(C\{0,1\}\)xxxxx$/|\15/
s/|\(C\{0,1\}\)xxxx$/|\14/
s/|\(C\{0,1\}\)xxx$/|\13/
s/|\(C\{0,1\}\)xx$/|\12/
s/|\(C\{0,1\}\)x$/|\11/
s/|\(C\{0,1\}\)$/|\10/
t clear2
:clear2
s/;\([0-9]*\)|C\([0-9]\)$/;\2\1|1/
t loop
s/;\([0-9]*\)|\([0-9]\)$/;\2\1|0/
b loop
:done
/;a;/{
s/^;;a;\([^;]*\);\([0-9]*\)|1$/\1;1\2/
s/^;;a;\([^;]*\);\([0-9]*\)|0$/\1;\2/
s/;0*\([0-9]\)/\1/
b
}
/|1$/{
s/^;;s;;\([0-9]*\)|1$/\1/
s/^0*\([0-9]\)/\1/
b
}
# a negative difference: the complement of R, plus one
s/^;;s;;\([0-9]*\)|0$/\1/
y/0123456789/9876543210/
:inc
s/9\(_*\)$/_\1/
t inc
s/^\(_*\)$/0\1/
s/8\(_*\)$/9\1/
s/7\(_*\)$/8\1/
s/6\(_*\)$/7\1/
s/5\(_*\)$/6\1/
s/4\(_*\)$/5\1/
s/3\(_*\)$/4\1/
s/2\(_*\)$/3\1/
s/1\(_*\)$/2\1/
s/0\(_*\)$/1\1/
s/_/0/g
s/^0*\([0-9]\)/-\1/
