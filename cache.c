/*
 * cache.c: the per-directory untracked cache kept between prompts.
 *
 * One file per work tree, $XDG_CACHE_HOME/atprompt/<hash>.dirs (or
 * ~/.cache/atprompt), holding for each tracked directory, in the order
 * scan.c lists them, the mtime it had when it was listed and the number
 * of untracked entries it held.  The file is only trusted whole: its
 * magic, version, owner, work tree, size, key and checksum must all
 * match, or it is ignored and rewritten.  It is replaced atomically
 * (write a temporary file, then rename), so a reader never sees half
 * of one.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "util.h"

#define CACHE_MAGIC	"atpdirs\n"
#define CACHE_VERSION	2	/* 2: keys from the word-wise hash */
/* A directory changed this recently may change again within the same
   timestamp tick after it was listed: its listing is not kept. */
#define RACY_SECONDS	2

struct header {
	char		magic[8];
	uint32_t	version;
	uint32_t	ndirs;
	uint64_t	paths_sig;
	uint64_t	ignore_sig;
	uint32_t	workdir_len;
	uint32_t	unused;
};

struct record {
	int64_t		mtime_sec;	/* -1: nothing kept */
	int32_t		mtime_nsec;
	uint32_t	untracked;
};

struct dircache {
	struct record	*rec;
	size_t		 ndirs;
};

static uint64_t
fold_stat(uint64_t h, int r, const struct stat *st)
{
	int64_t	v[6] = { -1, 0, 0, 0, 0, 0 };

	if (r == 0) {
		v[0] = st->st_mtim.tv_sec;
		v[1] = st->st_mtim.tv_nsec;
		v[2] = st->st_ctim.tv_sec;
		v[3] = st->st_ctim.tv_nsec;
		v[4] = st->st_size;
		v[5] = (int64_t)st->st_ino;
	}
	return hash_bytes(h, v, sizeof v);
}

/* The link and what it points to: either may change the rules. */
uint64_t
cache_file_sig(uint64_t h, const char *path)
{
	struct stat	st;
	int		r;

	h = hash_bytes(h, path, strlen(path) + 1);
	h = fold_stat(h, r = lstat(path, &st), &st);
	if (r == 0 && S_ISLNK(st.st_mode))
		h = fold_stat(h, stat(path, &st), &st);
	return h;
}

/*
 * PATH with every symbolic link, "." and ".." resolved, though its last
 * components may not exist yet; NULL when it cannot be.  The missing
 * part must be plain names, which no link can redirect.
 */
static char *
resolve(const char *path)
{
	struct buf	 head = { 0 }, out = { 0 };
	const char	*tail, *c;
	char		*real;
	size_t		 n;

	buf_addstr(&head, path);
	while ((real = realpath(head.data, NULL)) == NULL) {
		if (errno != ENOENT) {
			buf_free(&head);
			return NULL;
		}
		while (head.len > 1 && head.data[head.len - 1] == '/')
			head.len--;
		for (n = head.len; n > 0 && head.data[n - 1] != '/'; n--)
			continue;
		if (n == 0 || head.len == 1) {
			buf_free(&head);
			return NULL;
		}
		head.len = n;
		head.data[n] = '\0';
	}
	buf_addstr(&out, real);
	free(real);
	for (tail = path + head.len; *tail != '\0'; tail = c) {
		while (*tail == '/')
			tail++;
		for (c = tail; *c != '\0' && *c != '/'; c++)
			continue;
		if (c == tail)
			break;
		if ((c - tail == 1 && tail[0] == '.') ||
		    (c - tail == 2 && tail[0] == '.' && tail[1] == '.')) {
			buf_free(&head);
			buf_free(&out);
			return NULL;
		}
		if (out.len == 0 || out.data[out.len - 1] != '/')
			buf_addch(&out, '/');
		buf_add(&out, tail, (size_t)(c - tail));
	}
	buf_free(&head);
	return out.data;
}

/* Whether DIR (resolved) is TOP or lies below it. */
static int
inside(const char *dir, const char *top)
{
	char	*t = resolve(top);
	size_t	 n;
	int	 in;

	if (t == NULL)
		return 1;
	n = strlen(t);
	while (n > 1 && t[n - 1] == '/')
		n--;
	in = strncmp(dir, t, n) == 0 && (dir[n] == '/' || dir[n] == '\0' ||
	    n == 1);
	free(t);
	return in;
}

/*
 * Whether DIR (resolved) lies in the work tree, in a directory of
 * KEEP_OUT, or in anything named .git: a cache there would show up as
 * an untracked file (a home directory kept in git), or be written into
 * a repository.
 */
static int
inside_repository(const char *dir, const char *workdir,
    const char *const *keep_out)
{
	size_t	n = strlen(dir);

	if (inside(dir, workdir))
		return 1;
	for (; keep_out != NULL && *keep_out != NULL; keep_out++)
		if (inside(dir, *keep_out))
			return 1;
	return strstr(dir, "/.git/") != NULL ||
	    (n >= 5 && strcmp(dir + n - 5, "/.git") == 0);
}

/*
 * The cache file's path, or NULL when there is no place for it.  The
 * directory is resolved first, so that no spelling of $HOME (a link, a
 * doubled slash) can lead it into the work tree.
 */
static char *
cache_path(const char *workdir, const char *const *keep_out, int create)
{
	const char	*xdg = getenv("XDG_CACHE_HOME");
	const char	*home = getenv("HOME");
	struct buf	 b = { 0 };
	char		*dir, *slash;

	if (xdg != NULL && xdg[0] == '/')
		buf_addstr(&b, xdg);
	else if (home != NULL && home[0] == '/')
		buf_printf(&b, "%s/.cache", home);
	else
		return NULL;
	buf_addstr(&b, "/atprompt");
	dir = resolve(b.data);
	buf_free(&b);
	if (dir == NULL || inside_repository(dir, workdir, keep_out)) {
		free(dir);
		return NULL;
	}
	/* In a fresh home even ~/.cache may be missing. */
	if (create && (slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		(void)mkdir(dir, 0700);
		*slash = '/';
		(void)mkdir(dir, 0700);
	}
	buf_printf(&b, "%s/%016llx.dirs", dir, (unsigned long long)hash_bytes(
	    HASH_START, workdir, strlen(workdir)));
	free(dir);
	return b.data;
}

static size_t
file_size(size_t wdlen, size_t ndirs)
{
	return sizeof(struct header) + ((wdlen + 7) & ~(size_t)7) +
	    ndirs * sizeof(struct record) + sizeof(uint64_t);
}

struct dircache *
cache_load(const char *workdir, const char *const *keep_out,
    uint64_t paths_sig, uint64_t ignore_sig, size_t ndirs)
{
	struct dircache	*c = NULL;
	struct header	 h;
	struct stat	 st;
	char		*path, *data = NULL;
	size_t		 wdlen = strlen(workdir), size, off;
	uint64_t	 sum;
	int		 fd;

	if ((path = cache_path(workdir, keep_out, 0)) == NULL)
		return NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	free(path);
	if (fd == -1)
		return NULL;
	size = file_size(wdlen, ndirs);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (size_t)st.st_size != size)
		goto out;
	data = xmalloc(size);
	if (read(fd, data, size) != (ssize_t)size)
		goto out;
	memcpy(&h, data, sizeof h);
	off = sizeof h;
	if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 ||
	    h.version != CACHE_VERSION || h.ndirs != ndirs ||
	    h.paths_sig != paths_sig || h.ignore_sig != ignore_sig ||
	    h.workdir_len != wdlen ||
	    memcmp(data + off, workdir, wdlen) != 0)
		goto out;
	memcpy(&sum, data + size - sizeof sum, sizeof sum);
	if (hash_bytes(HASH_START, data, size - sizeof sum) != sum)
		goto out;
	off += (wdlen + 7) & ~(size_t)7;
	c = xmalloc(sizeof *c);
	c->ndirs = ndirs;
	c->rec = xmalloc(ndirs * sizeof *c->rec + 1);
	memcpy(c->rec, data + off, ndirs * sizeof *c->rec);
out:
	free(data);
	close(fd);
	return c;
}

void
cache_free(struct dircache *c)
{
	if (c == NULL)
		return;
	free(c->rec);
	free(c);
}

int
cache_lookup(const void *arg, size_t d, const struct scan_dir *sd,
    size_t *untracked)
{
	const struct dircache	*c = arg;
	const struct record	*r;

	if (c == NULL || d >= c->ndirs)
		return 0;
	r = &c->rec[d];
	if (r->mtime_sec < 0 || r->mtime_sec != sd->mtime_sec ||
	    r->mtime_nsec != sd->mtime_nsec)
		return 0;
	*untracked = r->untracked;
	return 1;
}

static void
make_records(struct record *rec, const struct scan_result *r,
    const unsigned char *keep, const struct dircache *old)
{
	struct timespec	now;
	size_t		d;

	clock_gettime(CLOCK_REALTIME, &now);
	for (d = 0; d < r->ndirs; d++) {
		const struct scan_dir *sd = &r->dirs[d];

		rec[d].mtime_sec = -1;
		rec[d].mtime_nsec = 0;
		rec[d].untracked = 0;
		if (sd->cached && old != NULL)
			rec[d] = old->rec[d];
		else if (keep[d] && sd->have_mtime &&
		    sd->mtime_sec < now.tv_sec - RACY_SECONDS) {
			rec[d].mtime_sec = sd->mtime_sec;
			rec[d].mtime_nsec = (int32_t)sd->mtime_nsec;
			rec[d].untracked = (uint32_t)sd->untracked;
		}
	}
}

void
cache_save(const char *workdir, const char *const *keep_out,
    uint64_t paths_sig, uint64_t ignore_sig, const struct scan_result *r,
    const unsigned char *keep, const struct dircache *old)
{
	struct header	 h;
	struct record	*rec;
	struct buf	 b = { 0 }, tmp = { 0 };
	char		*path;
	size_t		 wdlen = strlen(workdir);
	uint64_t	 sum;
	int		 fd, ok;

	rec = xcalloc(r->ndirs, sizeof *rec);
	make_records(rec, r, keep, old);
	if (old != NULL && old->ndirs == r->ndirs &&
	    memcmp(old->rec, rec, r->ndirs * sizeof *rec) == 0) {
		free(rec);
		return;
	}
	if ((path = cache_path(workdir, keep_out, 1)) == NULL) {
		free(rec);
		return;
	}
	memset(&h, 0, sizeof h);
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.version = CACHE_VERSION;
	h.ndirs = (uint32_t)r->ndirs;
	h.paths_sig = paths_sig;
	h.ignore_sig = ignore_sig;
	h.workdir_len = (uint32_t)wdlen;
	buf_add(&b, &h, sizeof h);
	buf_add(&b, workdir, wdlen);
	while (b.len % 8 != 0)
		buf_addch(&b, '\0');
	buf_add(&b, rec, r->ndirs * sizeof *rec);
	sum = hash_bytes(HASH_START, b.data, b.len);
	buf_add(&b, &sum, sizeof sum);

	buf_printf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp.data)) != -1) {
		ok = write(fd, b.data, b.len) == (ssize_t)b.len;
		if (close(fd) != 0)
			ok = 0;
		if (!ok || rename(tmp.data, path) != 0)
			unlink(tmp.data);
	}
	buf_free(&tmp);
	buf_free(&b);
	free(path);
	free(rec);
}
