program aplusb
    implicit none
    integer :: t, i
    integer(kind=8) :: a, b
    read(*, *) t
    do i = 1, t
        read(*, *) a, b
        write(*, '(I0)') a + b
    end do
end program aplusb
