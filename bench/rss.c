/*
 * rss.c: run a command and report its peak resident set size.
 *
 *	usage: rss command [argument ...]
 *
 * Once the command has exited, prints "maxrss_kb N" on standard error:
 * N is the largest resident set, in kilobytes, of the command or of any
 * descendant it waited for (ru_maxrss of the children: a peak of one
 * process, never a sum).  Exits with the command's status, or 127 when
 * it cannot be run.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct rusage	 ru;
	pid_t		 pid;
	int		 status;

	if (argc < 2) {
		fprintf(stderr, "usage: rss command [argument ...]\n");
		return 2;
	}
	if ((pid = fork()) == -1) {
		fprintf(stderr, "rss: cannot fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "rss: cannot run '%s': %s\n", argv[1],
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			fprintf(stderr, "rss: cannot wait: %s\n",
			    strerror(errno));
			return 127;
		}
	if (getrusage(RUSAGE_CHILDREN, &ru) == -1) {
		fprintf(stderr, "rss: getrusage: %s\n", strerror(errno));
		return 127;
	}
	fprintf(stderr, "maxrss_kb %ld\n", ru.ru_maxrss);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
