# guesses 1, 2, 3...: fine for a small secret; the interactor gives up
# after 40 guesses and closes the pipes, which ends this loop quietly
n = int(input())
try:
    for x in range(1, n + 1):
        print(x)
        if input().strip() == '=':
            break
except (EOFError, BrokenPipeError):
    pass
