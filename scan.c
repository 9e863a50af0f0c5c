/*
 * scan.c: the work-tree half of the status, with system calls only.
 *
 * Two passes, each split over threads in contiguous slices:
 *
 *  - The stat pass walks the index in order.  Entries of one directory
 *    sit together, so each thread keeps the chain of directories it is
 *    in open (O_NOFOLLOW, one component at a time, as git refuses to
 *    look beyond a symbolic link) and fstatat()s the last component
 *    only.  Stat data is compared the way git compares it: a type,
 *    mode or size change (with a non-zero size recorded) is a change
 *    for certain; any other difference, or an entry as new as the index
 *    itself (racy), needs its content hashed, which is left to the
 *    caller.
 *
 *  - The untracked pass lists each directory that holds tracked paths
 *    once, and keeps the names the index does not hold.  Directories
 *    are never entered unless tracked: an untracked directory is one
 *    candidate, as git shows it once.  A cache callback can answer for
 *    a directory whose mtime did not change since it was last listed.
 *
 * Threads only make system calls and fill arrays of their own; nothing
 * here touches libgit2, which is not safe to share between threads.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"
#include "scan.h"
#include "util.h"

#define MAX_THREADS	16
#define MIN_PER_THREAD	500	/* below this a thread costs more than
				   it saves */
#define MIN_DIRS_PER_THREAD 200
#define DEPTH_MAX	64	/* open directories per thread: 8 threads
				   stay well under 1024 descriptors */

/* The chain of open directories from the top of the work tree down. */
struct dirstack {
	int	 fd[DEPTH_MAX + 1];
	size_t   end[DEPTH_MAX + 1];    /* prefix length at each level */
	int	 depth;
	char    *path;                  /* the open chain, as a path */
	size_t	 cap;
	int	 failed;		/* errno when the last move failed */
	int      first_new;             /* first level the last move opened */
};

struct worker {
	const struct scan_params *p;
	struct scan_result	*r;
	size_t                   lo, hi;        /* slice of entries or dirs */
	struct dirstack		 ds;
	/* A directory found missing, for skip-worktree entries. */
	struct buf		 gone;
	size_t			 unstaged;
	size_t			*suspects;
	size_t			 nsuspects, suspects_cap;
	struct scan_candidate	*cands;
	size_t			 ncands, cands_cap;
	int			 timed_out;
	char			*error;
};

static void
ds_init(struct dirstack *ds, int root)
{
	memset(ds, 0, sizeof *ds);
	ds->fd[0] = root;
	ds->cap = 256;
	ds->path = xmalloc(ds->cap);
	ds->path[0] = '\0';
}

static void
ds_free(struct dirstack *ds)
{
	while (ds->depth > 0)
		close(ds->fd[ds->depth--]);
	free(ds->path);
}

/*
 * Make dir (a path ending in '/', or "" for the top) the open directory.
 * Returns its descriptor, or -1 with ds->failed set.
 */
static int
ds_move(struct dirstack *ds, const char *dir, size_t len)
{
	size_t	start, end;
	int	fd;

	while (ds->depth > 0 && (ds->end[ds->depth] > len ||
	    memcmp(ds->path, dir, ds->end[ds->depth]) != 0))
		close(ds->fd[ds->depth--]);
	start = ds->end[ds->depth];
	ds->failed = 0;
	ds->first_new = ds->depth + 1;
	while (start < len) {
		end = start;
		while (end < len && dir[end] != '/')
			end++;
		/*
		 * Deeper than the chain holds: the last level opens the rest
		 * in one go, which checks for a symbolic link in its last
		 * component only.
		 */
		if (ds->depth == DEPTH_MAX) {
			close(ds->fd[ds->depth--]);
			start = ds->end[ds->depth];
		}
		if (ds->depth == DEPTH_MAX - 1)
			end = len - 1;
		if (end + 1 >= ds->cap) {
			while (end + 1 >= ds->cap)
				ds->cap *= 2;
			free(ds->path);
			ds->path = xmalloc(ds->cap);
			memcpy(ds->path, dir, start);
		}
		memcpy(ds->path + start, dir + start, end - start);
		ds->path[end] = '\0';
		fd = openat(ds->fd[ds->depth], ds->path + start,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1) {
			ds->failed = errno;
			return -1;
		}
		ds->path[end] = '/';
		ds->fd[++ds->depth] = fd;
		ds->end[ds->depth] = end + 1;
		start = end + 1;
	}
	return ds->fd[ds->depth];
}

static void
add_suspect(struct worker *w, size_t n)
{
	if (w->nsuspects == w->suspects_cap) {
		w->suspects_cap = w->suspects_cap ? w->suspects_cap * 2 : 64;
		w->suspects = realloc(w->suspects,
		    w->suspects_cap * sizeof *w->suspects);
		if (w->suspects == NULL)
			abort();
	}
	w->suspects[w->nsuspects++] = n;
}

static void
add_candidate(struct worker *w, const char *path, size_t len, int isdir,
    size_t dir, int case_alias)
{
	struct scan_candidate	*c;

	if (w->ncands == w->cands_cap) {
		w->cands_cap = w->cands_cap ? w->cands_cap * 2 : 16;
		w->cands = realloc(w->cands, w->cands_cap * sizeof *w->cands);
		if (w->cands == NULL)
			abort();
	}
	c = &w->cands[w->ncands++];
	c->path = xmalloc(len + 2);
	memcpy(c->path, path, len);
	if (isdir)
		c->path[len++] = '/';
	c->path[len] = '\0';
	c->dir = dir;
	c->case_alias = case_alias;
}

static void
set_worker_error(struct worker *w, const char *path, size_t len, int err)
{
	struct buf	b = { 0 };

	if (w->error != NULL)
		return;
	buf_addstr(&b, "cannot read '");
	buf_add(&b, path, len);
	buf_printf(&b, "': %s", strerror(err));
	w->error = b.data;
}

static int
time_up(struct worker *w, size_t n)
{
	if (atomic_load_explicit(&w->r->stop, memory_order_relaxed))
		return 1;
	if ((n & 255) == 0 && w->p->deadline != 0 &&
	    now_usec() >= w->p->deadline) {
		w->timed_out = 1;
		atomic_store(&w->r->stop, 1);
		return 1;
	}
	return 0;
}

/* 0 unchanged, 1 changed for certain, 2 content must be hashed. */
static int
compare_stat(const struct scan_params *p, const struct index_entry *e,
    const struct stat *st)
{
	const struct index	*ix = p->index;
	unsigned int		 type = e->mode & S_IFMT;
	int			 differs = 0;

	if (type == S_IFLNK && p->config.symlinks) {
		if (!S_ISLNK(st->st_mode))
			return 1;
	} else if (type == S_IFLNK) {
		if (!S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode))
			return 1;
	} else if (!S_ISREG(st->st_mode))
		return 1;
	else if (p->config.filemode &&
	    ((e->mode & 0100) != 0) != ((st->st_mode & 0100) != 0))
		return 1;

	/*
	 * Whole seconds, as git compares them unless it was built with
	 * USE_NSEC (Debian's is not): a finer check would find changes
	 * that git status does not report.
	 */
	if (e->mtime_sec != (uint32_t)st->st_mtim.tv_sec)
		differs = 1;
	/* core.checkStat minimal drops ctime too, whatever trustctime says. */
	if (p->config.trustctime && p->config.checkstat &&
	    e->ctime_sec != (uint32_t)st->st_ctim.tv_sec)
		differs = 1;
	if (p->config.checkstat && (e->ino != (uint32_t)st->st_ino ||
	    e->uid != (uint32_t)st->st_uid || e->gid != (uint32_t)st->st_gid))
		differs = 1;
	if (e->size != (uint32_t)st->st_size)
		return e->size != 0 ? 1 : 2;
	if (differs)
		return 2;
	/* Written in the same second as the index: stat cannot tell. */
	if (ix->mtime_sec != 0 && (int64_t)e->mtime_sec >= ix->mtime_sec)
		return 2;
	return 0;
}

static size_t
dir_len(const char *path, size_t len)
{
	while (len > 0 && path[len - 1] != '/')
		len--;
	return len;
}

/* The number of directory path in r->dirs, or -1. */
static long
dir_number(const struct scan_result *r, const char *path, size_t len)
{
	size_t	lo = 0, hi = r->ndirs, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = bytes_cmp(r->dirs[mid].path, r->dirs[mid].len, path, len);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Note the mtime of each directory the last move opened, for the
 * untracked pass and its cache.  Of two threads that open the same
 * directory, the one holding its first entry writes.
 */
static void
note_dirs(struct worker *w, size_t n)
{
	struct dirstack		*ds = &w->ds;
	struct index_entry	 prev;
	struct scan_dir		*sd;
	struct stat		 st;
	long			 d;
	int			 k;

	for (k = ds->first_new; k <= ds->depth; k++) {
		if (n > 0) {
			index_get(w->p->index, n - 1, &prev);
			if (prev.path_len >= ds->end[k] &&
			    memcmp(prev.path, ds->path, ds->end[k]) == 0)
				continue;
		}
		if ((d = dir_number(w->r, ds->path, ds->end[k])) == -1 ||
		    fstat(ds->fd[k], &st) != 0)
			continue;
		sd = &w->r->dirs[d];
		sd->mtime_sec = st.st_mtim.tv_sec;
		sd->mtime_nsec = st.st_mtim.tv_nsec;
		sd->have_mtime = 1;
	}
}

static void
stat_entry(struct worker *w, size_t n)
{
	struct index_entry	 ent, *e = &ent;
	struct stat		 st;
	size_t			 dl;
	int			 fd, r, skip;

	index_get(w->p->index, n, e);
	if (e->stage != 0 || (e->flags & (INDEX_ASSUME_VALID |
	    INDEX_SPARSE_DIR)))
		return;
	/*
	 * In a sparse checkout git looks for skip-worktree files on disk
	 * and compares those it finds as any other; the directories of a
	 * sparse checkout are mostly missing, so a missing one is noted
	 * and the entries below it pass without a system call.
	 */
	skip = (e->flags & INDEX_SKIP_WORKTREE) != 0;
	if (skip && !w->p->config.sparse_present)
		return;
	dl = dir_len(e->path, e->path_len);
	if (skip && w->gone.len > 0 && dl >= w->gone.len &&
	    memcmp(e->path, w->gone.data, w->gone.len) == 0)
		return;
	if (e->flags & INDEX_INTENT_TO_ADD) {
		w->unstaged++;
		return;
	}
	fd = ds_move(&w->ds, e->path, dl);
	if (fd == -1) {
		r = errno = w->ds.failed;
		/* ds.path ends at the component that is missing. */
		if (skip && (errno == ENOENT || errno == ENOTDIR)) {
			buf_reset(&w->gone);
			buf_addstr(&w->gone, w->ds.path);
			buf_addch(&w->gone, '/');
		}
	} else {
		if (w->ds.first_new <= w->ds.depth)
			note_dirs(w, n);
		r = fstatat(fd, e->path + dl, &st, AT_SYMLINK_NOFOLLOW);
	}
	if (r != 0) {
		if (skip && (errno == ENOENT || errno == ENOTDIR ||
		    errno == ELOOP))
			return;
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			w->unstaged++;
		else
			set_worker_error(w, e->path, e->path_len, errno);
		return;
	}
	if ((e->mode & S_IFMT) == 0160000) {
		/* A submodule: its HEAD is compared by the caller. */
		if (S_ISDIR(st.st_mode))
			add_suspect(w, n);
		else
			w->unstaged++;
		return;
	}
	switch (compare_stat(w->p, e, &st)) {
	case 1:
		w->unstaged++;
		break;
	case 2:
		add_suspect(w, n);
		break;
	}
}

static void *
stat_slice(void *arg)
{
	struct worker	*w = arg;
	size_t		 n;

	for (n = w->lo; n < w->hi; n++) {
		if (time_up(w, n - w->lo))
			break;
		stat_entry(w, n);
		if (w->p->markers_only && w->unstaged > 0) {
			atomic_store(&w->r->stop, 1);
			break;
		}
	}
	return NULL;
}

/* 1 when the index holds path, at any stage. */
static int
in_index(const struct index *ix, const char *path, size_t len)
{
	size_t	pos;

	return index_find(ix, path, len, &pos);
}

enum scan_kind
scan_kind(DIR *dir, const struct dirent *de)
{
	struct stat	st;

	switch (de->d_type) {
	case DT_DIR:
		return SCAN_DIR;
	case DT_REG:
	case DT_LNK:
		return SCAN_FILE;
	case DT_UNKNOWN:
		if (fstatat(dirfd(dir), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) != 0)
			return SCAN_NONE;
		if (S_ISDIR(st.st_mode))
			return SCAN_DIR;
		return S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) ?
		    SCAN_FILE : SCAN_NONE;
	default:
		return SCAN_NONE;
	}
}

/* Look at one name of a listed directory. */
static void
list_name(struct worker *w, size_t d, DIR *dir, const struct dirent *de,
    struct buf *path)
{
	const struct index	*ix = w->p->index;
	enum scan_kind		 kind;
	int			 isdir, alias = 0;

	if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
	    strcmp(de->d_name, ".git") == 0)
		return;
	if ((kind = scan_kind(dir, de)) == SCAN_NONE)
		return;
	isdir = kind == SCAN_DIR;
	path->len = w->r->dirs[d].len;
	buf_addstr(path, de->d_name);
	/* A tracked name is never untracked, even when a directory now
	   stands where the index has a file or a submodule: git lists
	   neither. */
	if (in_index(ix, path->data, path->len) ||
	    scan_tracked_icase(w->r, path->data, path->len))
		return;
	if (isdir) {
		buf_addch(path, '/');
		if (dir_number(w->r, path->data, path->len) != -1 ||
		    in_index(ix, path->data, path->len))
			return;
		alias = scan_tracked_icase(w->r, path->data, path->len);
		path->len--;
	}
	add_candidate(w, path->data, path->len, isdir, d, alias);
	w->r->dirs[d].cands++;
}

static void
list_dir(struct worker *w, size_t d)
{
	struct scan_dir	*sd = &w->r->dirs[d];
	struct buf	 path = { 0 };
	struct dirent	*de;
	struct stat	 st;
	DIR		*dir;
	int		 fd, lfd;

	if (sd->have_mtime && w->p->cache != NULL &&
	    w->p->cache(w->p->cache_arg, d, sd, &sd->untracked)) {
		sd->cached = 1;
		return;
	}
	if ((fd = ds_move(&w->ds, sd->path, sd->len)) == -1) {
		if (w->ds.failed != ENOENT && w->ds.failed != ENOTDIR &&
		    w->ds.failed != ELOOP)
			set_worker_error(w, sd->path, sd->len, w->ds.failed);
		sd->missing = 1;
		return;
	}
	if (!sd->have_mtime && fstat(fd, &st) == 0) {
		sd->mtime_sec = st.st_mtim.tv_sec;
		sd->mtime_nsec = st.st_mtim.tv_nsec;
		sd->have_mtime = 1;
		if (w->p->cache != NULL &&
		    w->p->cache(w->p->cache_arg, d, sd, &sd->untracked)) {
			sd->cached = 1;
			return;
		}
	}
	if ((lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (dir = fdopendir(lfd)) == NULL) {
		if (lfd != -1)
			close(lfd);
		set_worker_error(w, sd->path, sd->len, errno);
		return;
	}
	sd->listed = 1;
	buf_add(&path, sd->path, sd->len);
	while ((de = readdir(dir)) != NULL)
		list_name(w, d, dir, de, &path);
	closedir(dir);
	buf_free(&path);
}

static void *
list_slice(void *arg)
{
	struct worker	*w = arg;
	size_t		 d;

	for (d = w->lo; d < w->hi; d++) {
		if (time_up(w, (d - w->lo) * 16))
			break;
		list_dir(w, d);
	}
	return NULL;
}

static void
add_ignore_file(struct scan_result *r, size_t n)
{
	r->ignore_files = realloc(r->ignore_files,
	    (r->nignore_files + 1) * sizeof *r->ignore_files);
	if (r->ignore_files == NULL)
		abort();
	r->ignore_files[r->nignore_files++] = n;
}

static int
fold_cmp(const void *a, const void *b)
{
	const struct scan_fold	*x = a, *y = b;

	return bytes_cmp(x->s, x->len, y->s, y->len);
}

static void
add_fold(struct buf *store, size_t **offs, size_t *n, size_t *cap,
    const char *path, size_t len)
{
	size_t	i;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		if ((*offs = realloc(*offs, *cap * sizeof **offs)) == NULL)
			abort();
	}
	(*offs)[(*n)++] = store->len;
	for (i = 0; i < len; i++)
		buf_addch(store, ascii_lower(path[i]));
	buf_addch(store, '\0');
}

/*
 * Under core.ignoreCase, every tracked path and directory lowercased and
 * sorted, for list_name to find a name the work tree spells in another
 * case.  git folds ASCII only, and so does this.
 */
static void
collect_folds(const struct index *ix, struct scan_result *r)
{
	struct index_entry	 e;
	struct buf		 store = { 0 };
	size_t			*offs = NULL, n = 0, cap = 0, i, len;

	for (i = 0; i < ix->nr; i++) {
		index_get(ix, i, &e);
		add_fold(&store, &offs, &n, &cap, e.path, e.path_len);
	}
	for (i = 1; i < r->ndirs; i++)
		add_fold(&store, &offs, &n, &cap, r->dirs[i].path,
		    r->dirs[i].len);
	r->folds = xcalloc(n > 0 ? n : 1, sizeof *r->folds);
	for (i = 0; i < n; i++) {
		len = strlen(store.data + offs[i]);
		r->folds[i].s = store.data + offs[i];
		r->folds[i].len = len;
	}
	qsort(r->folds, n, sizeof *r->folds, fold_cmp);
	r->nfolds = n;
	r->fold_store = store.data;
	free(offs);
}

int
scan_tracked_icase(const struct scan_result *r, const char *path,
    size_t len)
{
	struct scan_fold	 key;
	char			 small[256], *s;
	size_t			 i;
	int			 found;

	if (r->folds == NULL)
		return 0;
	s = len < sizeof small ? small : xmalloc(len + 1);
	for (i = 0; i < len; i++)
		s[i] = ascii_lower(path[i]);
	key.s = s;
	key.len = len;
	found = bsearch(&key, r->folds, r->nfolds, sizeof *r->folds,
	    fold_cmp) != NULL;
	if (s != small)
		free(s);
	return found;
}

/*
 * Every directory that holds a tracked path, in sorted order; on the
 * way, a hash of all tracked paths and the tracked .gitignore files,
 * which key the caller's cache.
 */
static void
collect_dirs(const struct index *ix, struct scan_result *r)
{
	struct index_entry	 e;
	struct buf		 store = { 0 }, last = { 0 };
	size_t			 n, i, len, prev = 0, cap = 64, *offs;
	uint64_t		 h = HASH_START;
	const char		*path;

	offs = xmalloc(cap * sizeof *offs);
	buf_addch(&store, '\0');
	buf_addch(&last, '\0');
	r->ndirs = 1;
	offs[0] = 0;
	for (n = 0; n < ix->nr; n++) {
		index_get(ix, n, &e);
		path = e.path;
		h = hash_bytes(h, path, e.path_len + 1);
		/* A sparse directory is one entry in its parent: the
		   caller looks inside it, when it is on disk at all. */
		len = dir_len(path, e.path_len -
		    ((e.flags & INDEX_SPARSE_DIR) != 0));
		if (e.path_len - len == 10 &&
		    memcmp(path + len, ".gitignore", 10) == 0)
			add_ignore_file(r, n);
		if (len == prev && memcmp(path, last.data, len) == 0)
			continue;
		/* New directories are those deeper than the shared part. */
		for (i = 0; i < len && i < prev && path[i] == last.data[i];
		    i++)
			;
		while (i > 0 && path[i - 1] != '/')
			i--;
		for (; i < len; i++) {
			if (path[i] != '/')
				continue;
			if (r->ndirs == cap)
				offs = realloc(offs, (cap *= 2) * sizeof *offs);
			if (offs == NULL)
				abort();
			offs[r->ndirs++] = store.len;
			buf_add(&store, path, i + 1);
			buf_addch(&store, '\0');
		}
		buf_reset(&last);
		buf_add(&last, path, len);
		prev = len;
	}
	buf_free(&last);
	r->paths_sig = h;
	r->dir_paths = store.data;
	r->dirs = xcalloc(r->ndirs, sizeof *r->dirs);
	for (n = 0; n < r->ndirs; n++) {
		r->dirs[n].path = r->dir_paths + offs[n];
		r->dirs[n].len = strlen(r->dirs[n].path);
	}
	free(offs);
}

static void
merge_worker(struct scan_result *r, struct worker *w)
{
	size_t	j;

	r->unstaged += w->unstaged;
	r->timed_out |= w->timed_out;
	if (r->error == NULL)
		r->error = w->error;
	else
		free(w->error);
	for (j = 0; j < w->nsuspects; j++) {
		r->suspects = realloc(r->suspects,
		    (r->nsuspects + 1) * sizeof *r->suspects);
		if (r->suspects == NULL)
			abort();
		r->suspects[r->nsuspects++] = w->suspects[j];
	}
	if (w->ncands > 0) {
		r->cands = realloc(r->cands, (r->ncands + w->ncands) *
		    sizeof *r->cands);
		if (r->cands == NULL)
			abort();
		memcpy(r->cands + r->ncands, w->cands,
		    w->ncands * sizeof *w->cands);
		r->ncands += w->ncands;
	}
	free(w->suspects);
	free(w->cands);
	buf_free(&w->gone);
	ds_free(&w->ds);
}

/* Split [0, total) over the threads, at least min_each per thread. */
static void
run_workers(const struct scan_params *p, struct scan_result *r,
    void *(*fn)(void *), size_t total, size_t min_each)
{
	struct worker	 w[MAX_THREADS];
	pthread_t	 tid[MAX_THREADS];
	int		 started[MAX_THREADS];
	size_t		 i, nt;

	nt = p->threads > 0 ? (size_t)p->threads : 1;
	if (nt > MAX_THREADS)
		nt = MAX_THREADS;
	if (nt > total / min_each)
		nt = total / min_each > 0 ? total / min_each : 1;
	atomic_store(&r->stop, 0);
	if (nt > r->threads)
		r->threads = nt;
	for (i = 0; i < nt; i++) {
		memset(&w[i], 0, sizeof w[i]);
		w[i].p = p;
		w[i].r = r;
		w[i].lo = total * i / nt;
		w[i].hi = total * (i + 1) / nt;
		ds_init(&w[i].ds, r->root);
		started[i] = i > 0 &&
		    pthread_create(&tid[i], NULL, fn, &w[i]) == 0;
	}
	fn(&w[0]);
	for (i = 1; i < nt; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			fn(&w[i]);
	}
	for (i = 0; i < nt; i++)
		merge_worker(r, &w[i]);
}

void
scan_stats(const struct scan_params *p, struct scan_result *r)
{
	struct buf	b = { 0 };

	memset(r, 0, sizeof *r);
	r->root = open(p->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->root == -1) {
		buf_printf(&b, "cannot open the work tree: %s",
		    strerror(errno));
		r->error = b.data;
		return;
	}
	collect_dirs(p->index, r);
	if (p->config.ignorecase)
		collect_folds(p->index, r);
	run_workers(p, r, stat_slice, p->index->nr, MIN_PER_THREAD);
	/* In markers mode the stat pass stops at its first change. */
	if (p->markers_only && r->unstaged > 0)
		r->stopped = 1;
}

void
scan_names(const struct scan_params *p, struct scan_result *r)
{
	if (r->root == -1 || r->timed_out)
		return;
	run_workers(p, r, list_slice, r->ndirs, MIN_DIRS_PER_THREAD);
}

void
scan_result_free(struct scan_result *r)
{
	size_t	i;

	if (r->root >= 0)
		close(r->root);
	for (i = 0; i < r->ncands; i++)
		free(r->cands[i].path);
	free(r->cands);
	free(r->suspects);
	free(r->dirs);
	free(r->dir_paths);
	free(r->ignore_files);
	free(r->folds);
	free(r->fold_store);
	free(r->error);
	memset(r, 0, sizeof *r);
	r->root = -1;
}
