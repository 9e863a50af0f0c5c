/*
 * empty.c: a C program that does nothing, linked like any other.  Its
 * spawn is the yardstick for start-up cost in atprompt's benchmarks.
 */
int
main(void)
{
	return 0;
}
