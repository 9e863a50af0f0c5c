/*
 * stat-floor.c: the least work any status scan must do, as a rival in
 * atprompt's benchmarks.
 *
 * It reads the tracked paths, from the index (versions 2, 3 and 4 of a
 * SHA-1 repository) or NUL-terminated from standard input with -z
 * (`git ls-files -z | stat-floor -z`), and fstatat()s each path once,
 * relative to a descriptor opened once per directory.  With -j N, N
 * threads share the directories.  Nothing is compared, no directory is
 * listed and nothing is hashed: whatever a scan costs beyond this is the
 * price of its answer.
 *
 *	usage: stat-floor [-vz] [-C dir] [-j threads]
 *
 * -v prints what was visited: "paths N dirs D missing M".  A path that
 * cannot be stat()ed (a deleted file, a directory that is gone) still
 * counts as visited, and as missing.  Conflicted paths, which the index
 * holds once per stage, are visited once.  The index is $GIT_INDEX_FILE,
 * or .git/index under the current directory; a split index is refused
 * (use -z).
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HASH_LEN	20		/* SHA-1 object names */
/* Stat data, object name and flags: the fixed part of an entry. */
#define ENTRY_FIXED	(40 + HASH_LEN + 2)
#define FLAG_EXTENDED	0x4000
#define NAME_MASK	0x0fff
#define MAX_THREADS	64

/* A run of consecutive paths in one directory. */
struct run {
	size_t		 dir;		/* first path's offset */
	size_t		 dirlen;	/* 0 for the top directory */
	size_t		 first;		/* index into paths.off */
	size_t		 count;
};

/* The tracked paths: NUL-terminated strings at base + off[i]. */
struct paths {
	const char	*base;
	char		*owned;		/* base, if allocated */
	size_t		 maplen;	/* or the length mapped, if not */
	size_t		*off;
	size_t		 n;
	size_t		 cap;
};

/* Directories to visit, shared by the threads. */
struct work {
	const struct paths	*p;
	struct run		*runs;
	/* Each directory's first run. */
	size_t			*groups;
	size_t			 ngroups;
	int			 root;
	atomic_size_t		 next;
};

struct tally {
	struct work	*w;
	size_t		 paths;
	size_t		 dirs;
	size_t		 missing;
};

static void	 die(const char *, ...);
static void	 usage(void);

static const char *progname = "stat-floor";
static const char *sort_base;	/* paths.base, for run_cmp */

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-vz] [-C dir] [-j threads]\n", progname);
	exit(2);
}

static void *
xrealloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		die("out of memory");
	if ((p = realloc(p, n * size)) == NULL)
		die("out of memory");
	return p;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void
paths_add(struct paths *p, size_t off)
{
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 1024 : p->cap * 2;
		p->off = xrealloc(p->off, p->cap, sizeof(*p->off));
	}
	p->off[p->n++] = off;
}

/* Keep a path unless it repeats the last one (a conflict's stages). */
static void
paths_keep(struct paths *p, const char *base, size_t off)
{
	if (p->n > 0 && strcmp(base + p->off[p->n - 1], base + off) == 0)
		return;
	paths_add(p, off);
}

/* Read NUL-terminated paths from standard input, as ls-files -z writes. */
static void
read_stdin(struct paths *p)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, i, start;
	ssize_t	 r;

	for (;;) {
		if (cap - len < 65536) {
			cap = cap == 0 ? 1 << 20 : cap * 2;
			buf = xrealloc(buf, cap, 1);
		}
		if ((r = read(STDIN_FILENO, buf + len, cap - len - 1)) == -1) {
			if (errno == EINTR)
				continue;
			die("cannot read standard input: %s", strerror(errno));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > 0 && buf[len - 1] != '\0')
		buf[len++] = '\0';
	p->base = p->owned = buf;
	for (start = 0, i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		if (i > start)
			paths_keep(p, buf, start);
		start = i + 1;
	}
}

/* Read a varint of index version 4; 0 when it runs past end. */
static int
get_varint(const unsigned char **pp, const unsigned char *end, size_t *out)
{
	const unsigned char	*q = *pp;
	size_t			 v;

	if (q >= end)
		return 0;
	v = *q & 0x7f;
	while (*q++ & 0x80) {
		if (q >= end || v > (SIZE_MAX >> 7) - 1)
			return 0;
		v = ((v + 1) << 7) | (*q & 0x7f);
	}
	*pp = q;
	*out = v;
	return 1;
}

/*
 * Version 4 names are prefix-compressed: drop `strip` bytes from the
 * end of the previous name and append the new suffix.  They are rebuilt
 * into an arena of their own.
 */
static const unsigned char *
index_v4_name(struct paths *p, char **arena, size_t *alen, size_t *acap,
    const unsigned char *q, const unsigned char *end)
{
	const unsigned char	*nul;
	size_t			 strip, prev = 0, plen = 0, slen, off;

	if (!get_varint(&q, end, &strip))
		die("index: truncated entry");
	if ((nul = memchr(q, '\0', (size_t)(end - q))) == NULL)
		die("index: unterminated name");
	slen = (size_t)(nul - q);
	if (p->n > 0) {
		prev = p->off[p->n - 1];
		plen = strlen(*arena + prev);
	}
	if (strip > plen)
		die("index: bad name compression");
	while (*acap - *alen < plen + slen + 1) {
		*acap = *acap == 0 ? 1 << 20 : *acap * 2;
		*arena = xrealloc(*arena, *acap, 1);
	}
	off = *alen;
	memcpy(*arena + off, *arena + prev, plen - strip);
	memcpy(*arena + off + plen - strip, q, slen);
	(*arena)[off + plen - strip + slen] = '\0';
	if (p->n > 0 && strcmp(*arena + prev, *arena + off) == 0)
		return nul + 1;
	*alen += plen - strip + slen + 1;
	paths_add(p, off);
	return nul + 1;
}

static void
read_index(struct paths *p)
{
	const unsigned char	*map, *q, *end, *name, *nul;
	const char		*file;
	struct stat		 st;
	char			*arena = NULL;
	size_t			 alen = 0, acap = 0, fixed, len;
	uint32_t		 version, n, i;
	unsigned		 flags;
	int			 fd;

	if ((file = getenv("GIT_INDEX_FILE")) == NULL || *file == '\0')
		file = ".git/index";
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		die("cannot open '%s': %s", file, strerror(errno));
	if (fstat(fd, &st) == -1)
		die("cannot stat '%s': %s", file, strerror(errno));
	if (st.st_size < 12 + HASH_LEN)
		die("'%s' is too short for an index", file);
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("cannot map '%s': %s", file, strerror(errno));
	close(fd);
	end = map + st.st_size - HASH_LEN;

	if (memcmp(map, "DIRC", 4) != 0)
		die("'%s' is not an index", file);
	version = get32(map + 4);
	n = get32(map + 8);
	if (version < 2 || version > 4)
		die("index version %u is not supported", (unsigned)version);

	p->base = (const char *)map;
	for (q = map + 12, i = 0; i < n; i++) {
		if ((size_t)(end - q) < ENTRY_FIXED)
			die("index: truncated entry");
		flags = get16(q + ENTRY_FIXED - 2);
		fixed = ENTRY_FIXED;
		if (flags & FLAG_EXTENDED) {
			if (version < 3)
				die("index: extended flag in version 2");
			fixed += 2;
		}
		name = q + fixed;
		if (version == 4) {
			q = index_v4_name(p, &arena, &alen, &acap, name, end);
			continue;
		}
		if ((nul = memchr(name, '\0', (size_t)(end - name))) == NULL)
			die("index: unterminated name");
		len = (size_t)(nul - name);
		if ((flags & NAME_MASK) != NAME_MASK &&
		    len != (flags & NAME_MASK))
			die("index: name length mismatch");
		paths_keep(p, p->base, (size_t)(name - map));
		q += (fixed + len + 8) & ~(size_t)7;
	}
	if ((size_t)(end - q) >= 8 && memcmp(q, "link", 4) == 0)
		die("a split index is not supported: use "
		    "`git ls-files -z | stat-floor -z`");
	if (version == 4) {
		munmap((void *)map, (size_t)st.st_size);
		p->base = p->owned = arena;
	} else
		p->maplen = (size_t)st.st_size;
}

static size_t
dir_len(const char *path)
{
	const char	*slash;

	return (slash = strrchr(path, '/')) == NULL ? 0 :
	    (size_t)(slash - path);
}

/* Whether two paths, or runs, start with the same directory. */
static int
same_dir(const char *base, size_t a, size_t alen, size_t b, size_t blen)
{
	return alen == blen && memcmp(base + a, base + b, alen) == 0;
}

/* By directory, then by position in the index; for qsort. */
static int
run_cmp(const void *a, const void *b)
{
	const struct run	*x = a, *y = b;
	size_t			 n;
	int			 c;

	n = x->dirlen < y->dirlen ? x->dirlen : y->dirlen;
	if ((c = memcmp(sort_base + x->dir, sort_base + y->dir, n)) != 0)
		return c;
	if (x->dirlen != y->dirlen)
		return x->dirlen < y->dirlen ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * Cut the paths into runs that share a directory, then sort the runs by
 * directory so that each directory is opened once even when the index
 * order interleaves it with a subdirectory ("a/b.c" < "a/b/x" < "a/c").
 */
static void
plan(struct work *w)
{
	const struct paths	*p = w->p;
	struct run		*r = NULL;
	size_t			 nr = 0, cap = 0, i, dl, off;

	for (i = 0; i < p->n; i++) {
		off = p->off[i];
		dl = dir_len(p->base + off);
		if (nr > 0 && same_dir(p->base, r[nr - 1].dir,
		    r[nr - 1].dirlen, off, dl)) {
			r[nr - 1].count++;
			continue;
		}
		if (nr == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			r = xrealloc(r, cap, sizeof(*r));
		}
		r[nr++] = (struct run){ off, dl, i, 1 };
	}
	sort_base = p->base;
	if (nr > 1)
		qsort(r, nr, sizeof(*r), run_cmp);

	w->runs = r;
	w->groups = xrealloc(NULL, nr + 1, sizeof(*w->groups));
	w->ngroups = 0;
	for (i = 0; i < nr; i++) {
		if (i > 0 && same_dir(p->base, r[i - 1].dir, r[i - 1].dirlen,
		    r[i].dir, r[i].dirlen))
			continue;
		w->groups[w->ngroups++] = i;
	}
	w->groups[w->ngroups] = nr;
}

/* Open one directory and fstatat() every path of its runs. */
static void
visit(struct tally *t, size_t g)
{
	const struct paths	*p = t->w->p;
	const struct run	*r;
	struct stat		 st;
	char			 dir[PATH_MAX];
	size_t			 i, k, skip;
	int			 fd;

	r = &t->w->runs[t->w->groups[g]];
	fd = t->w->root;
	if (r->dirlen > 0) {
		if (r->dirlen >= sizeof(dir))
			fd = -1;
		else {
			memcpy(dir, p->base + r->dir, r->dirlen);
			dir[r->dirlen] = '\0';
			fd = openat(t->w->root, dir,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
	}
	t->dirs++;
	skip = r->dirlen > 0 ? r->dirlen + 1 : 0;
	for (k = t->w->groups[g]; k < t->w->groups[g + 1]; k++) {
		r = &t->w->runs[k];
		for (i = r->first; i < r->first + r->count; i++) {
			t->paths++;
			if (fd == -1 || fstatat(fd, p->base + p->off[i] + skip,
			    &st, AT_SYMLINK_NOFOLLOW) == -1)
				t->missing++;
		}
	}
	if (fd != -1 && fd != t->w->root)
		close(fd);
}

static void *
worker(void *arg)
{
	struct tally	*t = arg;
	size_t		 g;

	while ((g = atomic_fetch_add_explicit(&t->w->next, 1,
	    memory_order_relaxed)) < t->w->ngroups)
		visit(t, g);
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct tally	 t[MAX_THREADS] = { 0 };
	pthread_t	 tid[MAX_THREADS];
	struct paths	 p = { 0 };
	struct work	 w = { 0 };
	const char	*dir = NULL;
	char		*end;
	long		 jobs = 1;
	int		 c, i, err, verbose = 0, from_stdin = 0;

	while ((c = getopt(argc, argv, "C:j:vz")) != -1) {
		switch (c) {
		case 'C':
			dir = optarg;
			break;
		case 'j':
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || jobs < 1 ||
			    jobs > MAX_THREADS)
				usage();
			break;
		case 'v':
			verbose = 1;
			break;
		case 'z':
			from_stdin = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (dir != NULL && chdir(dir) == -1)
		die("cannot change to '%s': %s", dir, strerror(errno));

	if (from_stdin)
		read_stdin(&p);
	else
		read_index(&p);
	w.p = &p;
	if ((w.root = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		die("cannot open '.': %s", strerror(errno));
	plan(&w);
	atomic_init(&w.next, 0);

	for (i = 0; i < jobs; i++)
		t[i].w = &w;
	for (i = 1; i < jobs; i++)
		if ((err = pthread_create(&tid[i], NULL, worker, &t[i])) != 0)
			die("cannot start a thread: %s", strerror(err));
	worker(&t[0]);
	for (i = 1; i < jobs; i++) {
		pthread_join(tid[i], NULL);
		t[0].paths += t[i].paths;
		t[0].dirs += t[i].dirs;
		t[0].missing += t[i].missing;
	}

	if (verbose)
		printf("paths %zu dirs %zu missing %zu\n", t[0].paths,
		    t[0].dirs, t[0].missing);
	if (p.maplen > 0)
		munmap((void *)p.base, p.maplen);
	free(p.owned);
	free(p.off);
	free(w.runs);
	free(w.groups);
	close(w.root);
	return 0;
}
