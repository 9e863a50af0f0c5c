/*
 * path.c: find and shorten the current directory.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "util.h"

/* Append the first character of a component, a whole UTF-8 sequence. */
static void
add_initial(struct buf *b, const char *s, size_t n)
{
	size_t	k = 0;
	int	len;

	if (s[0] == '.' && n > 1) {
		buf_addch(b, '.');
		k = 1;
	}
	len = utf8_seq_len((const unsigned char *)s + k, n - k);
	buf_add(b, s + k, len > 0 ? (size_t)len : 1);
}

void
path_short(struct buf *b, const char *dir, const char *home)
{
	const char	*p, *next;
	size_t		 n, hl;
	int		 first = 1;

	hl = home != NULL ? strlen(home) : 0;
	while (hl > 1 && home[hl - 1] == '/')
		hl--;
	p = dir;
	if (hl > 1 && strncmp(dir, home, hl) == 0 &&
	    (dir[hl] == '/' || dir[hl] == '\0')) {
		buf_addch(b, '~');
		p = dir + hl;
		first = 0;
	}
	if (*p == '\0')
		return;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0') {
			if (first)
				buf_addch(b, '/');
			return;
		}
		n = strcspn(p, "/");
		next = p + n;
		while (*next == '/')
			next++;
		buf_addch(b, '/');
		first = 0;
		if (*next == '\0') {
			buf_add(b, p, n);
			return;
		}
		add_initial(b, p, n);
		p = next;
	}
}

char *
path_current(void)
{
	const char	*pwd = getenv("PWD");
	struct stat	 a, b;
	char		 cwd[PATH_MAX];

	if (pwd != NULL && pwd[0] == '/' && stat(pwd, &a) == 0 &&
	    stat(".", &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return xstrdup(pwd);
	if (getcwd(cwd, sizeof cwd) != NULL)
		return xstrdup(cwd);
	/* The directory was deleted: PWD still says where we were. */
	if (pwd != NULL && pwd[0] == '/')
		return xstrdup(pwd);
	return NULL;
}
