/*
 * ignore-check: ask ignore.c about paths, so that tests/ignore.bats can
 * compare its answers with git check-ignore's.
 *
 *	ignore-check [-i] [-e excludes-file] [-n count] workdir gitdir
 *	    [path ...]
 *
 * Paths come from the arguments, or one a line from standard input;
 * a path ending in '/' is a directory.  Each gets one line, "ignored
 * PATH" or "kept PATH", PATH as given.  -n asks COUNT times over, on
 * one struct ignore, and prints the answers of the last round only: a
 * cost measure that keeps the output comparable.  -i matches as under
 * core.ignoreCase.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ignore.h"
#include "../util.h"

static void
usage(void)
{
	fprintf(stderr, "usage: ignore-check [-i] [-e excludes-file] "
	    "[-n count] workdir gitdir [path ...]\n");
	exit(2);
}

/* Every path, from ARGV or standard input, each NUL-terminated in B. */
static size_t
read_paths(struct buf *b, int argc, char **argv)
{
	char	*line = NULL;
	size_t	 cap = 0, n = 0;
	ssize_t	 len;
	int	 i;

	if (argc > 0) {
		for (i = 0; i < argc; i++)
			buf_add(b, argv[i], strlen(argv[i]) + 1);
		return (size_t)argc;
	}
	while ((len = getline(&line, &cap, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			len--;
		buf_add(b, line, (size_t)len);
		buf_addch(b, '\0');
		n++;
	}
	free(line);
	return n;
}

int
main(int argc, char **argv)
{
	struct ignore	*ig;
	struct buf	 paths = { 0 }, out = { 0 };
	const char	*excludes = NULL, *p;
	long		 count = 1, round;
	size_t		 n, i, len;
	int		 c, r, icase = 0;

	while ((c = getopt(argc, argv, "ie:n:")) != -1) {
		switch (c) {
		case 'i':
			icase = 1;
			break;
		case 'e':
			excludes = optarg;
			break;
		case 'n':
			if ((count = atol(optarg)) < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	n = read_paths(&paths, argc - 2, argv + 2);

	ig = ignore_new(argv[0], argv[1], excludes, icase);
	for (round = 0; round < count; round++) {
		buf_reset(&out);
		for (i = 0, p = paths.data; i < n; i++, p += len + 1) {
			len = strlen(p);
			r = ignore_path(ig, p, len, 0);
			buf_printf(&out, "%s %s\n", r ? "ignored" : "kept", p);
		}
	}
	ignore_free(ig);

	if (out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	buf_free(&paths);
	return 0;
}
