/*
 * ignore.c: decide whether git would ignore a path, following
 * gitignore(5) and git's own behaviour where the page is silent.
 *
 * A path is ignored when one of its parent directories is (no rule can
 * bring back a path under an ignored directory), or when the first
 * source with a rule matching the path, in precedence order, says so
 * through its last matching rule.  The sources are each directory's
 * .gitignore, deepest first, then info/exclude, then core.excludesFile.
 * A directory is checked only against the sources above it, so its
 * own .gitignore never ignores it.
 *
 * Directories are kept in a hash table by path, each with its parsed
 * .gitignore and, once known, whether it is ignored: the untracked
 * names the caller asks about come many to a directory, so a lookup
 * costs one hash of the parent's path and a walk of the rules of the
 * directories above.  A file's text is read once and the rules point
 * into it.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ignore.h"
#include "util.h"

/* git refuses larger pattern files, and so do we. */
#define MAX_FILE_SIZE	(100 * 1024 * 1024)

/*
 * A rule with more runs of '*' is dropped, which keeps the matcher's
 * recursion, one level a run, well inside the stack.  git has no such
 * limit, but no real rule comes near it.
 */
#define MAX_STAR_RUNS	2000

/* pattern.flags */
#define PAT_NEGATIVE	0x01	/* "!": a match keeps the path */
#define PAT_DIRONLY	0x02	/* trailing '/': directories only */
#define PAT_BASENAME    0x04    /* no '/': the last component, any depth */
#define PAT_LITERAL	0x08	/* no wildcard: compare the bytes */
#define PAT_SUFFIX	0x10	/* '*' and a literal: compare the end */

struct pattern {
	const char	*s;	/* into the file's text; no '!', no
				   leading or trailing '/' */
	size_t		 len;
	size_t           fixed; /* leading bytes free of wildcards */
	unsigned int	 flags;
};

/* The rules of one file, in file order. */
struct rules {
	char		*text;
	struct pattern	*pat;
	size_t		 n;
	int		 loaded;
};

/* A directory of the work tree that a lookup has gone through. */
struct dir {
	char		*path;		/* "a/b", "" for the top */
	size_t		 len;
	uint32_t	 hash;
	struct dir	*parent;	/* NULL for the top */
	struct rules	 rules;		/* its .gitignore */
	int		 ignored;	/* -1 until known */
};

struct ignore {
	int		 icase;		/* core.ignoreCase */
	char		*workdir;	/* ends in '/' */
	char		*gitdir;	/* ends in '/' */
	char		*excludes_file;	/* or NULL */
	struct rules	 info;		/* info/exclude */
	struct rules	 user;		/* core.excludesFile */
	struct dir	**dirs;		/* open addressing, by hash */
	size_t		 ndirs;
	size_t		 cap;		/* a power of two */
	struct buf	 file;		/* scratch for file names */
};

/* What matching returned, as in wildmat: the aborts prune retries. */
enum {
	GLOB_MATCH,
	GLOB_NOMATCH,
	GLOB_ABORT_ALL,         /* the text ran out: no retry can match */
	GLOB_ABORT_SLASH	/* a '*' met a '/': only a "**" can retry */
};

/* glob's flags */
#define GLOB_PATHNAME	0x01	/* '*' and '?' stop at '/' */
#define GLOB_CASEFOLD	0x02	/* core.ignoreCase: ASCII, as git */

static int	glob(const char *, const char *, const char *, const char *,
		    const char *, int);

static char *
with_slash(const char *s)
{
	size_t	 n = strlen(s);
	char	*p;

	if (n > 0 && s[n - 1] == '/')
		return xstrdup(s);
	p = xmalloc(n + 2);
	memcpy(p, s, n);
	p[n] = '/';
	p[n + 1] = '\0';
	return p;
}

/*
 * Read a whole regular file into a fresh NUL-terminated buffer, or
 * return NULL.  NOFOLLOW refuses a symbolic link, as git does for
 * .gitignore in the work tree; O_NONBLOCK keeps a FIFO from hanging
 * the prompt before fstat can reject it.
 */
static char *
read_file(const char *path, int nofollow, size_t *lenp)
{
	struct stat	 sb;
	char		*text;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    (nofollow ? O_NOFOLLOW : 0));
	if (fd == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size <= 0 || sb.st_size > MAX_FILE_SIZE) {
		close(fd);
		return NULL;
	}
	text = xmalloc((size_t)sb.st_size + 1);
	while (len < (size_t)sb.st_size) {
		n = read(fd, text + len, (size_t)sb.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	*lenp = len;
	return text;
}

/*
 * Drop the unescaped spaces at the end of S.  A backslash escapes the
 * byte after it; a line ending in a lone backslash keeps its spaces,
 * as git leaves it.
 */
static size_t
trim_spaces(const char *s, size_t len)
{
	size_t	i, end = len;
	int	in_spaces = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ') {
			if (!in_spaces)
				end = i;
			in_spaces = 1;
			continue;
		}
		if (s[i] == '\\' && ++i == len)
			return len;
		in_spaces = 0;
		end = len;
	}
	return in_spaces ? end : len;
}

static int
is_wild(char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

/* Whether N bytes at A and B are the same, ignoring ASCII case when
   ICASE is set. */
static int
same_bytes(const char *a, const char *b, size_t n, int icase)
{
	size_t	i;

	if (!icase)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return 0;
	return 1;
}

/* Turn one line, already trimmed, into a rule; 0 if it has none. */
static int
parse_pattern(struct pattern *pt, const char *s, size_t len)
{
	size_t	i, runs;

	pt->flags = 0;
	if (len > 0 && s[0] == '!') {
		pt->flags |= PAT_NEGATIVE;
		s++;
		len--;
	}
	if (len > 0 && s[len - 1] == '/') {
		pt->flags |= PAT_DIRONLY;
		len--;
	}
	if (memchr(s, '/', len) == NULL)
		pt->flags |= PAT_BASENAME;
	else if (s[0] == '/') {
		s++;
		len--;
	}
	if (len == 0)
		return 0;
	/* Each run of '*' is one level of glob's recursion. */
	for (i = 0, runs = 0; i < len; i++)
		if (s[i] == '*' && (i == 0 || s[i - 1] != '*'))
			runs++;
	if (runs > MAX_STAR_RUNS)
		return 0;
	for (i = 0; i < len && !is_wild(s[i]); i++)
		continue;
	pt->fixed = i;
	if (i == len)
		pt->flags |= PAT_LITERAL;
	else if (s[0] == '*') {
		for (i = 1; i < len && !is_wild(s[i]); i++)
			continue;
		if (i == len)
			pt->flags |= PAT_SUFFIX;
	}
	pt->s = s;
	pt->len = len;
	return 1;
}

/*
 * Split TEXT into rules, into OUT when it is not NULL, and return how
 * many there are.  Lines end in LF, with a CR before it dropped; blank
 * lines and those starting with '#' are skipped; a NUL ends a line
 * early, as it does for git, which keeps each line as a C string.
 */
static size_t
split_rules(const char *text, size_t len, struct pattern *out)
{
	const char	*end = text + len, *s = text, *e, *nl, *nul;
	struct pattern	 pt;
	size_t		 n = 0;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (nl == s || *s == '#')
			continue;
		e = nl[-1] == '\r' ? nl - 1 : nl;
		if ((nul = memchr(s, '\0', (size_t)(e - s))) != NULL)
			e = nul;
		if (!parse_pattern(&pt, s, trim_spaces(s, (size_t)(e - s))))
			continue;
		if (out != NULL)
			out[n] = pt;
		n++;
	}
	return n;
}

/*
 * Counting the rules first sizes the array exactly: a file of blank
 * lines costs nothing beyond its text.
 */
static void
parse_rules(struct rules *r, char *text, size_t len)
{
	if ((r->n = split_rules(text, len, NULL)) == 0) {
		free(text);
		return;
	}
	r->text = text;
	r->pat = xcalloc(r->n, sizeof *r->pat);
	split_rules(text, len, r->pat);
}

static void
load_rules(struct rules *r, const char *path, int nofollow)
{
	char	*text;
	size_t	 len;

	r->loaded = 1;
	if (path != NULL && (text = read_file(path, nofollow, &len)) != NULL)
		parse_rules(r, text, len);
}

static void
free_rules(struct rules *r)
{
	free(r->text);
	free(r->pat);
}

/*
 * Whether C is in [:class:] number I of match_class's names.  ASCII
 * only, whatever the locale, as in git.
 */
static int
in_class(int i, unsigned char c)
{
	int	lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
	int	digit = c >= '0' && c <= '9';
	int	print = c >= 0x20 && c <= 0x7e;
	int	space = c == ' ' || c == '\t' || c == '\n' || c == '\r';

	switch (i) {
	case 0:
		return lower || upper || digit;
	case 1:
		return lower || upper;
	case 2:
		return c == ' ' || c == '\t';
	case 3:
		return c < 0x20 || c == 0x7f;
	case 4:
		return digit;
	case 5:
		return print && c != ' ';
	case 6:
		return lower;
	case 7:
		return print;
	case 8:
		return print && c != ' ' && !lower && !upper && !digit;
	case 9:
		return space;
	case 10:
		return upper;
	default:
		return digit || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F');
	}
}

/*
 * Match one bracket expression at *PP against C and leave *PP on its
 * closing ']'.  1 or 0; -1 when the expression is malformed (no ']',
 * an unknown [:class:]), which makes the whole pattern match nothing.
 * Under CASEFOLD, C comes lowercased and the bracket's own bytes do
 * not: git then lets a range or [:upper:] take C's uppercase too, but
 * a lone uppercase byte matches nothing, and we must agree with it.
 */
static int
match_class(const char **pp, const char *pe, unsigned char c, int casefold)
{
	static const char	*names[] = {
		"alnum", "alpha", "blank", "cntrl", "digit", "graph",
		"lower", "print", "punct", "space", "upper", "xdigit"
	};
	const unsigned char	*p = (const unsigned char *)*pp + 1;
	const unsigned char	*e = (const unsigned char *)pe, *q;
	int			 negate = 0, hit = 0, prev = -1, first, i;
	unsigned char		 ch, hi;

	if (p < e && (*p == '!' || *p == '^')) {
		negate = 1;
		p++;
	}
	for (first = 1;; first = 0, p++) {
		if (p >= e)
			return -1;
		ch = *p;
		if (ch == ']' && !first)
			break;
		if (ch == '\\') {
			if (++p >= e)
				return -1;
			ch = *p;
		} else if (ch == '-' && prev >= 0 && p + 1 < e &&
		    p[1] != ']') {
			if (*++p == '\\' && ++p >= e)
				return -1;
			hi = *p;
			if (c >= prev && c <= hi)
				hit = 1;
			else if (casefold && c >= 'a' && c <= 'z' &&
			    c - 'a' + 'A' >= prev && c - 'a' + 'A' <= hi)
				hit = 1;
			prev = -1;
			continue;
		} else if (ch == '[' && p + 1 < e && p[1] == ':') {
			for (q = p + 2; q < e && *q != ']'; q++)
				continue;
			if (q >= e)
				return -1;
			/* Without ":]" the '[' is an ordinary byte. */
			if (q - p >= 3 && q[-1] == ':') {
				for (i = 0; i < 12; i++)
					if (strlen(names[i]) ==
					    (size_t)(q - p - 3) &&
					    memcmp(names[i], p + 2,
					    (size_t)(q - p - 3)) == 0)
						break;
				if (i == 12)
					return -1;
				if (in_class(i, c) || (casefold && i == 10 &&
				    in_class(6, c)))
					hit = 1;
				prev = -1;
				p = q;
				continue;
			}
		}
		if (ch == c)
			hit = 1;
		prev = ch;
	}
	*pp = (const char *)p;
	return hit != negate;
}

/*
 * A run of '*' at P, the pattern running to PE and having started at
 * PS, against the text T..TE.  With GLOB_PATHNAME a single '*' stops
 * at '/', and a "**" crosses it when it is a whole component, between
 * slashes or the ends of the pattern; followed by a slash, it may also
 * match no directory at all.
 */
static int
glob_star(const char *p, const char *pe, const char *ps, const char *t,
    const char *te, int flags)
{
	const char	*q = p;
	int		 pathname = flags & GLOB_PATHNAME;
	int		 cross = !pathname, r;

	while (q < pe && *q == '*')
		q++;
	if (pathname && q - p >= 2 && (p == ps || p[-1] == '/') &&
	    (q == pe || *q == '/' ||
	    (*q == '\\' && q + 1 < pe && q[1] == '/'))) {
		cross = 1;
		if (q < pe && *q == '/' &&
		    glob(q + 1, pe, ps, t, te, flags) == GLOB_MATCH)
			return GLOB_MATCH;
	}
	if (q == pe) {
		if (!cross && memchr(t, '/', (size_t)(te - t)) != NULL)
			return GLOB_ABORT_SLASH;
		return GLOB_MATCH;
	}
	for (;; t++) {
		r = glob(q, pe, ps, t, te, flags);
		if (r != GLOB_NOMATCH && (!cross || r != GLOB_ABORT_SLASH))
			return r;
		if (t == te)
			return GLOB_ABORT_ALL;
		if (!cross && *t == '/')
			return GLOB_ABORT_SLASH;
	}
}

/*
 * Match the pattern P..PE against the text T..TE, in the manner of
 * fnmatch(3) with FNM_PATHNAME when FLAGS has GLOB_PATHNAME, plus
 * "**".  PS is where the pattern counts as starting for a leading "**".
 */
static int
glob(const char *p, const char *pe, const char *ps, const char *t,
    const char *te, int flags)
{
	int		pathname = flags & GLOB_PATHNAME;
	int		casefold = flags & GLOB_CASEFOLD;
	unsigned char	tc;
	int		r;

	for (; p < pe; p++, t++) {
		if (*p == '*')
			return glob_star(p, pe, ps, t, te, flags);
		if (t == te)
			return GLOB_ABORT_ALL;
		tc = (unsigned char)(casefold ? ascii_lower(*t) : *t);
		switch (*p) {
		case '?':
			if (pathname && *t == '/')
				return GLOB_NOMATCH;
			break;
		case '[':
			r = match_class(&p, pe, tc, casefold);
			if (r == -1)
				return GLOB_ABORT_ALL;
			if (r == 0 || (pathname && *t == '/'))
				return GLOB_NOMATCH;
			break;
		case '\\':
			/* A lone backslash at the end matches nothing.  The
			   escaped byte is not folded, as in git. */
			if (++p == pe || (unsigned char)*p != tc)
				return GLOB_NOMATCH;
			break;
		default:
			if ((unsigned char)(casefold ? ascii_lower(*p) : *p) !=
			    tc)
				return GLOB_NOMATCH;
			break;
		}
	}
	return t == te ? GLOB_MATCH : GLOB_NOMATCH;
}

/*
 * Whether rule PT matches: REL (RLEN bytes) is the path relative to the
 * directory of the rule's file, BASE the last component of it.
 */
static int
pattern_matches(const struct pattern *pt, const char *rel, size_t rlen,
    const char *base, size_t blen, int icase)
{
	size_t	n = pt->fixed;
	int	fl = icase ? GLOB_CASEFOLD : 0;

	if (pt->flags & PAT_BASENAME) {
		if (pt->flags & PAT_LITERAL)
			return blen == pt->len &&
			    same_bytes(base, pt->s, blen, icase);
		if (pt->flags & PAT_SUFFIX)
			return blen >= pt->len - 1 &&
			    same_bytes(base + blen - (pt->len - 1), pt->s + 1,
			    pt->len - 1, icase);
		return glob(pt->s, pt->s + pt->len, pt->s, base, base + blen,
		    fl) == GLOB_MATCH;
	}
	if (rlen < n || !same_bytes(rel, pt->s, n, icase))
		return 0;
	if (pt->flags & PAT_LITERAL)
		return rlen == n;
	/*
	 * git matches the rest on its own, so that a "**" right after the
	 * literal start counts as a whole component: a pattern "a", "**",
	 * "/b" matches "a/x/b".
	 */
	return glob(pt->s + n, pt->s + pt->len, pt->s + n, rel + n,
	    rel + rlen, fl | GLOB_PATHNAME) == GLOB_MATCH;
}

/*
 * What the last rule of R to match says: 1 ignore, 0 keep, -1 when no
 * rule matches and the next source decides.
 */
static int
rules_match(const struct rules *r, const char *rel, size_t rlen,
    int isdir, int icase)
{
	const struct pattern	*pt;
	const char		*base;
	size_t			 i;

	base = rel + rlen;
	while (base > rel && base[-1] != '/')
		base--;
	for (i = r->n; i-- > 0;) {
		pt = &r->pat[i];
		if ((pt->flags & PAT_DIRONLY) && !isdir)
			continue;
		if (pattern_matches(pt, rel, rlen, base,
		    (size_t)(rel + rlen - base), icase))
			return !(pt->flags & PAT_NEGATIVE);
	}
	return -1;
}

static uint32_t
hash_path(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void
grow_dirs(struct ignore *ig)
{
	struct dir	**old = ig->dirs;
	size_t		  i, j, cap = ig->cap;

	ig->cap = cap ? cap * 2 : 64;
	ig->dirs = xcalloc(ig->cap, sizeof *ig->dirs);
	for (i = 0; i < cap; i++) {
		if (old[i] == NULL)
			continue;
		j = old[i]->hash & (ig->cap - 1);
		while (ig->dirs[j] != NULL)
			j = (j + 1) & (ig->cap - 1);
		ig->dirs[j] = old[i];
	}
	free(old);
}

/* The directory PATH ("" for the top), added with its parents if new. */
static struct dir *
get_dir(struct ignore *ig, const char *path, size_t len)
{
	struct dir	*d;
	uint32_t	 h = hash_path(path, len);
	size_t		 i, plen;

	if (2 * (ig->ndirs + 1) > ig->cap)
		grow_dirs(ig);
	for (i = h & (ig->cap - 1); (d = ig->dirs[i]) != NULL;
	    i = (i + 1) & (ig->cap - 1))
		if (d->hash == h && d->len == len &&
		    memcmp(d->path, path, len) == 0)
			return d;
	d = xcalloc(1, sizeof *d);
	d->path = xstrndup(path, len);
	d->len = len;
	d->hash = h;
	d->ignored = -1;
	ig->dirs[i] = d;
	ig->ndirs++;
	if (len > 0) {
		for (plen = len; plen > 0 && path[plen - 1] != '/'; plen--)
			continue;
		d->parent = get_dir(ig, path, plen > 0 ? plen - 1 : 0);
	}
	return d;
}

static void
load_dir_rules(struct ignore *ig, struct dir *d)
{
	buf_reset(&ig->file);
	buf_addstr(&ig->file, ig->workdir);
	if (d->len > 0) {
		buf_add(&ig->file, d->path, d->len);
		buf_addch(&ig->file, '/');
	}
	buf_addstr(&ig->file, ".gitignore");
	load_rules(&d->rules, ig->file.data, 1);
}

/*
 * What the rules say about PATH itself, in directory D: each .gitignore
 * from D's up, then info/exclude, then core.excludesFile; the first with
 * a matching rule decides.
 */
static int
path_matches(struct ignore *ig, struct dir *d, const char *path,
    size_t len, int isdir)
{
	size_t	off;
	int	r;

	for (; d != NULL; d = d->parent) {
		if (!d->rules.loaded)
			load_dir_rules(ig, d);
		off = d->len > 0 ? d->len + 1 : 0;
		if ((r = rules_match(&d->rules, path + off, len - off,
		    isdir, ig->icase)) != -1)
			return r;
	}
	if (!ig->info.loaded) {
		buf_reset(&ig->file);
		buf_printf(&ig->file, "%sinfo/exclude", ig->gitdir);
		load_rules(&ig->info, ig->file.data, 0);
	}
	if ((r = rules_match(&ig->info, path, len, isdir, ig->icase)) != -1)
		return r;
	if (!ig->user.loaded)
		load_rules(&ig->user, ig->excludes_file, 0);
	return rules_match(&ig->user, path, len, isdir, ig->icase) == 1;
}

/*
 * Whether D is ignored, itself or through a parent.  git stops at the
 * first ignored directory and never reads the .gitignore files below
 * it, so neither is a deeper "!" rule ever consulted.
 */
static int
dir_ignored(struct ignore *ig, struct dir *d)
{
	if (d->ignored == -1)
		d->ignored = d->parent != NULL &&
		    (dir_ignored(ig, d->parent) ||
		    path_matches(ig, d->parent, d->path, d->len, 1));
	return d->ignored;
}

struct ignore *
ignore_new(const char *workdir, const char *gitdir,
    const char *excludes_file, int icase)
{
	struct ignore	*ig;

	ig = xcalloc(1, sizeof *ig);
	ig->icase = icase;
	ig->workdir = with_slash(workdir);
	ig->gitdir = with_slash(gitdir);
	if (excludes_file != NULL)
		ig->excludes_file = xstrdup(excludes_file);
	return ig;
}

int
ignore_path(struct ignore *ig, const char *path, size_t len, int isdir)
{
	struct dir	*d;
	size_t		 plen;

	if (len > 0 && path[len - 1] == '/') {
		isdir = 1;
		len--;
	}
	if (len == 0)
		return 0;
	for (plen = len; plen > 0 && path[plen - 1] != '/'; plen--)
		continue;
	d = get_dir(ig, path, plen > 0 ? plen - 1 : 0);
	if (dir_ignored(ig, d))
		return 1;
	return path_matches(ig, d, path, len, isdir);
}

void
ignore_set_rules(struct ignore *ig, const char *dir, size_t dlen,
    const char *text, size_t len)
{
	struct dir	*d = get_dir(ig, dir, dlen);

	if (d->rules.loaded)
		free_rules(&d->rules);
	memset(&d->rules, 0, sizeof d->rules);
	d->rules.loaded = 1;
	parse_rules(&d->rules, xstrndup(text, len), len);
}

void
ignore_free(struct ignore *ig)
{
	size_t	i;

	if (ig == NULL)
		return;
	for (i = 0; i < ig->cap; i++) {
		if (ig->dirs[i] == NULL)
			continue;
		free_rules(&ig->dirs[i]->rules);
		free(ig->dirs[i]->path);
		free(ig->dirs[i]);
	}
	free(ig->dirs);
	free_rules(&ig->info);
	free_rules(&ig->user);
	buf_free(&ig->file);
	free(ig->workdir);
	free(ig->gitdir);
	free(ig->excludes_file);
	free(ig);
}
