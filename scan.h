/*
 * scan.h: compare the index with the work tree using system calls only.
 *
 * The scan does what needs no object database: it fstatat()s every
 * tracked path, relative to an open directory, on several threads, and
 * lists every tracked directory for names the index does not hold.  It
 * settles most entries from stat data alone, as git does, and hands back
 * the two kinds of question it cannot answer by itself: entries whose
 * stat data changed but whose size did not (their content must be
 * hashed) and names that are not in the index (they may be ignored).
 * git_status.c answers those through libgit2.
 */
#ifndef ATPROMPT_SCAN_H
#define ATPROMPT_SCAN_H

#include <dirent.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

struct scan_config {
	int     filemode;       /* core.fileMode: the executable bit counts */
	int	trustctime;	/* core.trustctime */
	int	checkstat;	/* core.checkStat is not "minimal" */
	int	symlinks;	/* core.symlinks */
	int	ignorecase;	/* core.ignoreCase */
	int	sparse_present;	/* core.sparseCheckout on, and not
				   sparse.expectFilesOutsideOfPatterns:
				   git then compares a skip-worktree
				   file it finds on disk */
};

/* A name in a tracked directory that the index does not hold. */
struct scan_candidate {
	char    *path;          /* "src/new.c", or "build/" for a directory */
	size_t	 dir;		/* index into scan_result.dirs */
	int	 case_alias;	/* a directory whose name differs from a
				   tracked one's in ASCII case only: git,
				   under core.ignoreCase, lists what it
				   holds one by one */
};

/* A tracked path or directory, ASCII lowercase, for core.ignoreCase. */
struct scan_fold {
	const char	*s;
	size_t		 len;
};

/* A tracked directory and what listing it found. */
struct scan_dir {
	const char	*path;		/* "src/lib/", "" for the top */
	size_t		 len;
	long long        mtime_sec;     /* of the directory, for the cache */
	long		 mtime_nsec;
	int		 have_mtime;
	int		 listed;	/* read with readdir */
	int		 cached;	/* the cache answered for it */
	int		 missing;	/* not on disk (sparse, deleted) */
	size_t		 cands;		/* candidates it holds */
	size_t           settled;       /* of those, settled by the caller */
	int              untracked_dir; /* one is an untracked directory */
	size_t           untracked;     /* filled by the caller from the
					   candidates, or from the cache */
};

struct scan_result {
	size_t                   unstaged;      /* settled by stat data */
	size_t                  *suspects;      /* entry numbers to hash */
	size_t			 nsuspects;
	struct scan_candidate	*cands;
	size_t			 ncands;
	struct scan_dir		*dirs;
	size_t			 ndirs;
	int			 timed_out;
	int                      stopped;       /* stopped early, on request */
	char                    *error;         /* unreadable path, or NULL */
	char                    *dir_paths;     /* storage for dirs[].path */
	uint64_t                 paths_sig;     /* hash of every tracked path */
	size_t                   threads;       /* the most either pass used */
	size_t                  *ignore_files;  /* entries named .gitignore,
						   at any stage */
	size_t			 nignore_files;
	char                    *fold_store;    /* storage for folds[].s */
	struct scan_fold        *folds;         /* sorted; only under
						   core.ignoreCase */
	size_t			 nfolds;
	int                      root;          /* the work tree, open */
	atomic_int		 stop;
};

/*
 * Called from the untracked pass for a directory whose mtime is known;
 * returns 1 and the cached count when the cache can answer for it.
 * Called from several threads at once: it must only read.
 */
typedef int (*scan_cache_fn)(const void *arg, size_t dir,
    const struct scan_dir *sd, size_t *untracked);

struct scan_params {
	const char		*workdir;	/* ends in '/' */
	const struct index	*index;
	struct scan_config	 config;
	int			 threads;
	long                     deadline;      /* now_usec() limit, 0: none */
	int                      markers_only;  /* stop once a change and a
						   candidate are both found */
	scan_cache_fn		 cache;
	const void		*cache_arg;
};

/*
 * The scan runs in two calls, so that the caller can load its cache
 * in between, once it knows the tracked paths and the directories'
 * mtimes: scan_stats compares every entry's stat data, scan_names lists
 * the directories the cache cannot answer for.  scan_result_free ends
 * both.
 */
void	scan_stats(const struct scan_params *p, struct scan_result *r);
void	scan_names(const struct scan_params *p, struct scan_result *r);
void	scan_result_free(struct scan_result *r);

/*
 * What git makes of entry DE of directory DIR: a directory, a file (a
 * regular file or a symbolic link), or nothing at all for a FIFO, a
 * socket, a device or a name gone since it was listed: git lists none
 * of those as untracked.
 */
enum scan_kind {
	SCAN_NONE,
	SCAN_FILE,
	SCAN_DIR
};
enum scan_kind	scan_kind(DIR *dir, const struct dirent *de);

/*
 * Under core.ignoreCase, whether the index holds PATH (LEN bytes; a
 * directory when it ends in '/') in some mix of ASCII case.  0 when
 * the scan was not told to ignore case.
 */
int	scan_tracked_icase(const struct scan_result *r, const char *path,
	    size_t len);

#endif
