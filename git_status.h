/*
 * git_status.h: what the prompt knows about the repository it stands in.
 *
 * git_status.c fills a struct repo_state through libgit2 and nothing
 * else in atprompt includes git2.h.  The struct holds plain data only:
 * no escapes, no shell quoting, no colours.
 */
#ifndef ATPROMPT_GIT_STATUS_H
#define ATPROMPT_GIT_STATUS_H

#include <stddef.h>

/* The values of the contract's "state" field, in its order. */
enum repo_op {
	OP_NONE,
	OP_MERGE,
	OP_REVERT,
	OP_REVERT_SEQUENCE,
	OP_CHERRY_PICK,
	OP_CHERRY_PICK_SEQUENCE,
	OP_BISECT,
	OP_REBASE,
	OP_REBASE_INTERACTIVE,
	OP_REBASE_MERGE,
	OP_APPLY_MAILBOX,
	OP_APPLY_MAILBOX_OR_REBASE
};

/* How much of the work tree the caller needs to know about. */
enum scan_mode {
	SCAN_MARKERS,		/* stop once each marker is known */
	SCAN_COUNTS		/* exact counts, for --json and --explain */
};

/* Names of the timed steps, for --explain. */
enum repo_step {
	STEP_INIT,
	STEP_OPEN,
	STEP_HEAD,
	STEP_UPSTREAM,
	STEP_STASH,
	STEP_OPERATION,
	STEP_STAGED,
	STEP_WORKTREE,
	STEP_MAX
};

struct repo_state {
	int		 repo;		/* 1 inside a repository */
	char            *workdir;       /* "/home/u/src/p", NULL when bare */
	char		*gitdir;	/* "/home/u/src/p/.git" */
	int		 bare;
	int              in_gitdir;     /* the cwd is inside the git dir */

	char		*branch;	/* "main"; NULL when detached */
	char             head[41];      /* hex id of HEAD, "" when unborn */
	int		 detached;
	int		 unborn;
	char            *tag;           /* "v1.2" pointing at HEAD, or NULL */
	char		*op_branch;	/* "topic", the branch a rebase
					   works on while HEAD is detached */

	char		*upstream;	/* "origin/main", or NULL */
	size_t		 ahead;
	size_t		 behind;

	enum repo_op	 op;
	int              step;          /* 2 of "REBASE 2/5"; 0 if unknown */
	int              total;         /* 5 of "REBASE 2/5"; 0 if unknown */

	size_t		 staged;
	size_t		 unstaged;
	size_t		 untracked;
	size_t		 conflicted;
	size_t		 stashes;

	int		 complete;	/* 0 when the scan was cut short */
	int              early;         /* stopped once every marker was
					   known: counts are lower bounds */
	char            *error;         /* why it was, one line, or NULL */

	/* How the work tree was scanned, for --explain. */
	const char	*scanner;	/* "atprompt" or "libgit2" */
	size_t		 entries;	/* index entries */
	size_t		 threads;
	size_t		 dirs;		/* tracked directories */
	size_t		 dirs_listed;	/* listed with readdir */
	size_t		 dirs_cached;	/* answered by the cache */
	size_t           hashed;        /* entries whose content was hashed */
	int		 cache_used;

	/* Microseconds spent in each step, for --explain. */
	long		 usec[STEP_MAX];
};

/* What the caller needs besides the markers. */
struct repo_request {
	enum scan_mode	 mode;
	int		 details;	/* ahead, behind and the tag even on
					   a branch: the default look shows
					   neither */
	long             budget_ms;     /* bounds the scan; 0: no bound */
	/* Called whenever st holds more than before, so that a watchdog
	   can print what is known if the process runs out of time. */
	void		(*checkpoint)(void *);
	void		*arg;
};

/*
 * Fill st for the repository around the current directory.  Never
 * fails: whatever could not be read leaves complete at 0 and a reason
 * in error.
 */
void		 repo_state_read(struct repo_state *st,
		    const struct repo_request *rq);
void		 repo_state_free(struct repo_state *st);

const char	*repo_op_name(enum repo_op op);
const char	*repo_op_label(enum repo_op op);
const char	*repo_step_name(enum repo_step step);
const char	*repo_library(void);

#endif
