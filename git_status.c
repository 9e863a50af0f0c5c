/*
 * git_status.c: read the repository state through libgit2.
 *
 * Everything here only reads.  The index is loaded but never refreshed
 * or written, no lock file is taken, and nothing the repository's
 * configuration names (hooks, fsmonitor, filter drivers) is run: libgit2
 * spawns no process for any call made here.
 *
 * The work tree is compared with two diffs rather than git_status_list,
 * because only a diff takes callbacks: the notify callback counts each
 * delta and drops it at once, so memory stays flat however dirty the
 * tree is, and the progress callback lets the scan stop at the time
 * budget or as soon as every marker is known.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <sys/stat.h>

#include <dirent.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/repository.h>
#if LIBGIT2_VER_MAJOR > 1 || LIBGIT2_VER_MINOR >= 8
#include <git2/sys/errors.h>
#endif

#include "cache.h"
#include "git_status.h"
#include "ignore.h"
#include "index.h"
#include "scan.h"
#include "util.h"

/* Why a diff callback asked libgit2 to stop. */
enum scan_stop {
	STOP_NONE,
	STOP_ENOUGH,		/* every marker the caller needs is known */
	STOP_BUDGET		/* the time budget ran out */
};

struct scan {
	git_repository		*repo;
	struct ignore		*ignore;	/* ignore.c (fast path) */
	git_index               *index;         /* libgit2's (slow path) */
	const git_oid           *head;          /* NULL when unborn */
	struct repo_state	*st;
	enum scan_mode		 mode;
	long			 deadline;	/* usec, 0 for none */
	enum scan_stop		 stop;
};

static void	set_error(struct repo_state *, const char *);
static int	head_tree(git_tree **, struct scan *);
static void	set_git_error(struct repo_state *, const char *);

static const char *op_names[] = {
	"none", "merge", "revert", "revert-sequence", "cherry-pick",
	"cherry-pick-sequence", "bisect", "rebase", "rebase-interactive",
	"rebase-merge", "apply-mailbox", "apply-mailbox-or-rebase"
};

/* The labels git's own prompt uses. */
static const char *op_labels[] = {
	"", "MERGING", "REVERTING", "REVERTING", "CHERRY-PICKING",
	"CHERRY-PICKING", "BISECTING", "REBASE", "REBASE", "REBASE",
	"AM", "AM/REBASE"
};

static const char *step_names[] = {
	"init", "open", "head", "upstream", "stash", "operation", "staged",
	"worktree"
};

const char *
repo_op_name(enum repo_op op)
{
	return op_names[op];
}

const char *
repo_op_label(enum repo_op op)
{
	return op_labels[op];
}

const char *
repo_step_name(enum repo_step step)
{
	return step_names[step];
}

/* Which libgit2 runs, and how it was linked (see tools/libgit2). */
const char *
repo_library(void)
{
	static char	version[160];
	int		major, minor, rev;

	git_libgit2_version(&major, &minor, &rev);
#ifdef ATPROMPT_LIBGIT2_STATIC
	snprintf(version, sizeof version, "libgit2 %d.%d.%d, static, "
	    "without TLS, SSH or HTTP", major, minor, rev);
#else
	snprintf(version, sizeof version, "libgit2 %d.%d.%d, the system's "
	    "shared library", major, minor, rev);
#endif
	return version;
}

/* Keep the first error: later ones are usually its consequences. */
static void
set_error(struct repo_state *st, const char *msg)
{
	char	*p;

	st->complete = 0;
	if (st->error != NULL)
		return;
	st->error = xstrdup(msg);
	for (p = st->error; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while (p > st->error && p[-1] == ' ')
		*--p = '\0';
}

static void
set_git_error(struct repo_state *st, const char *what)
{
	const git_error	*e = git_error_last();
	struct buf	 b = { 0 };

	if (e != NULL && e->message != NULL)
		buf_printf(&b, "%s: %s", what, e->message);
	else
		buf_addstr(&b, what);
	set_error(st, b.data);
	buf_free(&b);
}

static const char *
ref_shorthand(const char *name)
{
	static const char *prefixes[] = {
		"refs/heads/", "refs/tags/", "refs/remotes/", "refs/"
	};
	size_t	i, n;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) == 0 && name[n] != '\0')
			return name + n;
	}
	return name;
}

/*
 * Read a small file from the git dir, first line only, trailing
 * newline removed.  Returns NULL when it is missing or unreadable.
 */
static char *
read_gitdir_file(const char *gitdir, const char *name)
{
	struct buf	 path = { 0 };
	char		 data[512];
	ssize_t		 n;
	int		 fd;

	buf_printf(&path, "%s%s", gitdir, name);
	fd = open(path.data, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	buf_free(&path);
	if (fd == -1)
		return NULL;
	n = read(fd, data, sizeof data - 1);
	close(fd);
	if (n < 0)
		return NULL;
	data[n] = '\0';
	data[strcspn(data, "\r\n")] = '\0';
	return xstrdup(data);
}

static int
read_gitdir_int(const char *gitdir, const char *name)
{
	char	*s, *end;
	long	 v;

	if ((s = read_gitdir_file(gitdir, name)) == NULL)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || v < 0 || v > INT_MAX)
		v = 0;
	free(s);
	return (int)v;
}

static int
path_is_dir(const char *gitdir, const char *name)
{
	struct buf	path = { 0 };
	struct stat	sb;
	int		r;

	buf_printf(&path, "%s%s", gitdir, name);
	r = stat(path.data, &sb) == 0 && S_ISDIR(sb.st_mode);
	buf_free(&path);
	return r;
}

/*
 * With GIT_DIR set and neither GIT_WORK_TREE nor core.worktree, git
 * takes the current directory for the top of the work tree, where
 * libgit2 takes the git dir's parent.  Follow git.  Nothing is written:
 * the work tree is set on this handle only.
 */
static void
use_cwd_as_worktree(git_repository *repo)
{
	const char	*env = getenv("GIT_DIR");
	git_config	*cfg = NULL;
	git_buf		 wt = { 0 };
	char		 cwd[PATH_MAX];

	if (env == NULL || *env == '\0' || getenv("GIT_WORK_TREE") != NULL ||
	    git_repository_is_bare(repo))
		return;
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string_buf(&wt, cfg, "core.worktree") != 0 &&
	    getcwd(cwd, sizeof cwd) != NULL)
		git_repository_set_workdir(repo, cwd, 0);
	git_buf_dispose(&wt);
	git_config_free(cfg);
	git_error_clear();
}

static void
read_layout(struct repo_state *st, git_repository *repo)
{
	const char	*wd = git_repository_workdir(repo);
	const char	*gd = git_repository_path(repo);
	char		 cwd[PATH_MAX], real[PATH_MAX];
	size_t		 n;

	st->repo = 1;
	st->bare = git_repository_is_bare(repo);
	if (wd != NULL) {
		st->workdir = xstrdup(wd);
		n = strlen(st->workdir);
		if (n > 1 && st->workdir[n - 1] == '/')
			st->workdir[n - 1] = '\0';
	}
	st->gitdir = xstrdup(gd);
	n = strlen(st->gitdir);
	if (n > 1 && st->gitdir[n - 1] == '/')
		st->gitdir[n - 1] = '\0';

	/* git refuses to scan from inside the git dir; so does the prompt. */
	if (getcwd(cwd, sizeof cwd) != NULL &&
	    realpath(st->gitdir, real) != NULL) {
		n = strlen(real);
		if (strncmp(cwd, real, n) == 0 &&
		    (cwd[n] == '/' || cwd[n] == '\0'))
			st->in_gitdir = 1;
	}
}

/*
 * Pick the tag to show for HEAD: annotated tags first, then the
 * smallest name, so the answer does not depend on the order refs are
 * stored in.
 */
static void
read_tag(struct repo_state *st, git_repository *repo, const git_oid *head)
{
	git_reference_iterator	*it = NULL;
	git_reference		*ref;
	git_odb			*odb = NULL;
	const git_oid		*target, *peeled;
	git_object		*obj;
	git_otype		 type;
	size_t			 len;
	const char		*name;
	int			 annotated, best_annotated = 0;

	if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") != 0)
		return;
	if (git_repository_odb(&odb, repo) != 0)
		odb = NULL;
	while (git_reference_next(&ref, it) == 0) {
		annotated = 0;
		target = git_reference_target(ref);
		peeled = git_reference_target_peel(ref);
		if (target == NULL) {
			git_reference_free(ref);
			continue;
		}
		if (peeled != NULL)
			annotated = git_oid_equal(peeled, head);
		else if (!git_oid_equal(target, head) && odb != NULL &&
		    git_odb_read_header(&len, &type, odb, target) == 0 &&
		    type == GIT_OBJECT_TAG &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			annotated = git_oid_equal(git_object_id(obj), head);
			git_object_free(obj);
		}
		if (annotated || (peeled == NULL &&
		    git_oid_equal(target, head))) {
			name = ref_shorthand(git_reference_name(ref));
			if (st->tag == NULL || annotated > best_annotated ||
			    (annotated == best_annotated &&
			    strcmp(name, st->tag) < 0)) {
				free(st->tag);
				st->tag = xstrdup(name);
				best_annotated = annotated;
			}
		}
		git_reference_free(ref);
	}
	git_odb_free(odb);
	git_reference_iterator_free(it);
}

/*
 * A HEAD stored as a symbolic link, as git wrote it long ago: libgit2
 * follows the link and would take the branch's id for a detached HEAD.
 * Returns the ref it names ("refs/heads/main"), or NULL.
 */
static char *
symlink_head(git_repository *repo)
{
	struct buf	 path = { 0 };
	struct stat	 sb;
	char		 target[1024];
	ssize_t		 n = -1;

	buf_printf(&path, "%sHEAD", git_repository_path(repo));
	if (lstat(path.data, &sb) == 0 && S_ISLNK(sb.st_mode))
		n = readlink(path.data, target, sizeof target - 1);
	buf_free(&path);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	if (strncmp(target, "refs/", 5) != 0)
		return NULL;
	return xstrdup(target);
}

static void
read_head(struct repo_state *st, git_repository *repo, git_oid *head_id,
    int details)
{
	git_reference	*head = NULL, *sym = NULL;
	const char	*target;
	char		*link;
	int		 error;

	if ((link = symlink_head(repo)) != NULL) {
		st->branch = xstrdup(ref_shorthand(link));
		if (git_reference_name_to_id(head_id, repo, link) == 0) {
			git_oid_tostr(st->head, sizeof st->head, head_id);
			if (details)
				read_tag(st, repo, head_id);
		} else
			st->unborn = 1;
		git_error_clear();
		free(link);
		return;
	}
	error = git_repository_head(&head, repo);
	if (error == GIT_EUNBORNBRANCH || error == GIT_ENOTFOUND) {
		st->unborn = 1;
		if (git_reference_lookup(&sym, repo, "HEAD") == 0 &&
		    (target = git_reference_symbolic_target(sym)) != NULL)
			st->branch = xstrdup(ref_shorthand(target));
		git_reference_free(sym);
		git_error_clear();
		return;
	}
	if (error != 0) {
		set_git_error(st, "cannot read HEAD");
		return;
	}
	git_oid_cpy(head_id, git_reference_target(head));
	git_oid_tostr(st->head, sizeof st->head, head_id);
	if (git_repository_head_detached(repo) == 1)
		st->detached = 1;
	else
		st->branch = xstrdup(ref_shorthand(git_reference_name(head)));
	git_reference_free(head);
	/* Reading every tag costs; the prompt needs one when detached. */
	if (details || st->detached)
		read_tag(st, repo, head_id);
}

/*
 * Read HEAD without libgit2, for a repository it refuses to open (an
 * object format or extension it does not know): the branch name, or a
 * detached id.  Nothing more is trusted from such a repository.
 */
static void
read_head_file(struct repo_state *st)
{
	git_buf		 dir = { 0 };
	char		*head, cwd[PATH_MAX];
	size_t		 n;

	if (getcwd(cwd, sizeof cwd) == NULL ||
	    git_repository_discover(&dir, cwd, 0, NULL) != 0) {
		git_error_clear();
		return;
	}
	st->gitdir = xstrdup(dir.ptr);
	n = strlen(st->gitdir);
	if (n > 1 && st->gitdir[n - 1] == '/')
		st->gitdir[n - 1] = '\0';
	if ((head = read_gitdir_file(dir.ptr, "HEAD")) != NULL) {
		if (strncmp(head, "ref: refs/heads/", 16) == 0 &&
		    head[16] != '\0')
			st->branch = xstrdup(head + 16);
		else if (strlen(head) == 40 &&
		    strspn(head, "0123456789abcdef") == 40) {
			memcpy(st->head, head, 41);
			st->detached = 1;
		}
		free(head);
	}
	git_buf_dispose(&dir);
}

static void
read_upstream(struct repo_state *st, git_repository *repo,
    const git_oid *head_id, int details)
{
	git_buf		 name = { 0 };
	struct buf	 local = { 0 };
	git_oid		 up;

	if (st->branch == NULL)
		return;
	buf_printf(&local, "refs/heads/%s", st->branch);
	if (git_branch_upstream_name(&name, repo, local.data) != 0) {
		buf_free(&local);
		git_error_clear();
		return;
	}
	buf_free(&local);
	st->upstream = xstrdup(ref_shorthand(name.ptr));
	/* Counting commits can walk a long history: only when shown. */
	if (details && !st->unborn &&
	    git_reference_name_to_id(&up, repo, name.ptr) == 0 &&
	    git_graph_ahead_behind(&st->ahead, &st->behind, repo, head_id,
	    &up) != 0)
		set_git_error(st, "cannot count commits against upstream");
	git_error_clear();
	git_buf_dispose(&name);
}

static void
read_stash(struct repo_state *st, git_repository *repo)
{
	git_reference	*ref = NULL;
	git_reflog	*log = NULL;

	if (git_reference_lookup(&ref, repo, "refs/stash") != 0) {
		git_error_clear();
		return;
	}
	git_reference_free(ref);
	if (git_reflog_read(&log, repo, "refs/stash") == 0) {
		st->stashes = git_reflog_entrycount(log);
		git_reflog_free(log);
	}
	if (st->stashes == 0)
		st->stashes = 1;
}

static void
read_operation(struct repo_state *st, git_repository *repo)
{
	const char	*gd = git_repository_path(repo);
	char		*name;

	switch (git_repository_state(repo)) {
	case GIT_REPOSITORY_STATE_MERGE:
		st->op = OP_MERGE;
		break;
	case GIT_REPOSITORY_STATE_REVERT:
		st->op = OP_REVERT;
		break;
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		st->op = OP_REVERT_SEQUENCE;
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
		st->op = OP_CHERRY_PICK;
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		st->op = OP_CHERRY_PICK_SEQUENCE;
		break;
	case GIT_REPOSITORY_STATE_BISECT:
		st->op = OP_BISECT;
		break;
	case GIT_REPOSITORY_STATE_REBASE:
		st->op = OP_REBASE;
		break;
	case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
		st->op = OP_REBASE_INTERACTIVE;
		break;
	case GIT_REPOSITORY_STATE_REBASE_MERGE:
		st->op = OP_REBASE_MERGE;
		break;
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
		st->op = OP_APPLY_MAILBOX;
		break;
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
		st->op = OP_APPLY_MAILBOX_OR_REBASE;
		break;
	default:
		st->op = OP_NONE;
		break;
	}

	/*
	 * A sequence of picks stays in progress between two of its steps,
	 * when no CHERRY_PICK_HEAD or REVERT_HEAD is left: git's prompt
	 * reads the next command of the todo list then, and so do we.
	 */
	if (st->op == OP_NONE && (name = read_gitdir_file(gd,
	    "sequencer/todo")) != NULL) {
		if (strncmp(name, "p ", 2) == 0 ||
		    strncmp(name, "pick ", 5) == 0)
			st->op = OP_CHERRY_PICK_SEQUENCE;
		else if (strncmp(name, "revert ", 7) == 0)
			st->op = OP_REVERT_SEQUENCE;
		free(name);
	}

	/* Progress and the branch being rebased, where git keeps them. */
	name = NULL;
	if (path_is_dir(gd, "rebase-merge")) {
		st->step = read_gitdir_int(gd, "rebase-merge/msgnum");
		st->total = read_gitdir_int(gd, "rebase-merge/end");
		name = read_gitdir_file(gd, "rebase-merge/head-name");
	} else if (path_is_dir(gd, "rebase-apply")) {
		st->step = read_gitdir_int(gd, "rebase-apply/next");
		st->total = read_gitdir_int(gd, "rebase-apply/last");
		if (st->op == OP_REBASE)
			name = read_gitdir_file(gd, "rebase-apply/head-name");
	}
	if (name != NULL && strncmp(name, "refs/heads/", 11) == 0 &&
	    name[11] != '\0')
		st->op_branch = xstrdup(name + 11);
	free(name);
}

/* The tree of HEAD, NULL on an unborn branch; -1 when unreadable. */
static int
head_tree(git_tree **out, struct scan *sc)
{
	git_commit	*commit = NULL;
	int		 r = 0;

	*out = NULL;
	if (sc->head == NULL)
		return 0;
	if (git_commit_lookup(&commit, sc->repo, sc->head) != 0 ||
	    git_commit_tree(out, commit) != 0) {
		set_git_error(sc->st, "cannot read the HEAD tree");
		r = -1;
	}
	git_commit_free(commit);
	return r;
}

static void
count_conflicts(struct repo_state *st, git_index *index)
{
	git_index_conflict_iterator	*it;
	const git_index_entry		*a, *o, *t;

	if (!git_index_has_conflicts(index))
		return;
	if (git_index_conflict_iterator_new(&it, index) != 0) {
		set_git_error(st, "cannot read conflicts");
		return;
	}
	while (git_index_conflict_next(&a, &o, &t, it) == 0)
		st->conflicted++;
	git_index_conflict_iterator_free(it);
	git_error_clear();
}

static int
scan_progress(const git_diff *diff, const char *old_path,
    const char *new_path, void *payload)
{
	struct scan	*sc = payload;

	(void)diff;
	(void)old_path;
	(void)new_path;
	if (sc->deadline != 0 && now_usec() >= sc->deadline) {
		sc->stop = STOP_BUDGET;
		return -1;
	}
	return 0;
}

/*
 * Whether git ignores path (a directory when it ends in '/'): ignore.c
 * on the fast path, libgit2 otherwise.  libgit2 lets a negation in a
 * deeper .gitignore re-include what a parent's rule excludes; git and
 * ignore.c do not.
 */
static int
is_ignored(struct scan *sc, const char *path)
{
	int	ignored;

	if (sc->ignore != NULL)
		return ignore_path(sc->ignore, path, strlen(path), 0);
	if (git_ignore_path_is_ignored(&ignored, sc->repo, path) != 0) {
		git_error_clear();
		ignored = 0;
	}
	return ignored;
}

/*
 * An untracked directory counts only when something below it would be
 * listed with -uall: git shows no directory that holds nothing but
 * ignored files and empty directories.  Walk it until the first such
 * entry: files of a level first, then its subdirectories, with no
 * directory held open while a deeper one is read, so that depth costs
 * no descriptors.  rel ends in a slash.
 */
#define UNTRACKED_DEPTH_MAX	4096

/* A whole file of at most SIZE - 1 bytes, NUL-terminated, or -1. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * Whether DIR looks like a git directory by git's own test: a HEAD that
 * names a branch or holds an object id, and objects and refs in it or
 * in the directory its commondir file names.
 */
static int
is_git_dir(const char *dir)
{
	struct buf	 p = { 0 }, common = { 0 };
	struct stat	 sb;
	char		 text[256];
	const char	*t;
	ssize_t		 n;
	int		 ok = 0;

	buf_printf(&p, "%s/HEAD", dir);
	if (lstat(p.data, &sb) != 0)
		goto out;
	if (S_ISLNK(sb.st_mode)) {
		if ((n = readlink(p.data, text, sizeof text - 1)) < 0)
			goto out;
		text[n] = '\0';
		if (strncmp(text, "refs/", 5) != 0)
			goto out;
	} else if (!S_ISREG(sb.st_mode) ||
	    read_small(p.data, text, sizeof text) < 0)
		goto out;
	else if (strncmp(text, "ref:", 4) == 0) {
		for (t = text + 4; *t == ' ' || *t == '\t'; t++)
			continue;
		if (strncmp(t, "refs/", 5) != 0)
			goto out;
	} else if (strspn(text, "0123456789abcdef") < 40)
		goto out;

	buf_reset(&p);
	buf_printf(&p, "%s/commondir", dir);
	if (read_small(p.data, text, sizeof text) > 0) {
		text[strcspn(text, "\r\n")] = '\0';
		if (text[0] != '/')
			buf_printf(&common, "%s/", dir);
		buf_addstr(&common, text);
	} else
		buf_addstr(&common, dir);
	buf_reset(&p);
	buf_printf(&p, "%s/objects", common.data);
	if (access(p.data, X_OK) != 0)
		goto out;
	buf_reset(&p);
	buf_printf(&p, "%s/refs", common.data);
	ok = access(p.data, X_OK) == 0;
out:
	buf_free(&p);
	buf_free(&common);
	return ok;
}

/*
 * Whether the directory PATH (ending in '/') is a repository of its
 * own, which git shows as one untracked entry: its .git is a git
 * directory, or a file "gitdir: X" naming one.  Anything else named
 * .git (an empty directory, a FIFO) git passes over.
 */
static int
nested_repository(const char *path)
{
	struct buf	 p = { 0 }, target = { 0 };
	struct stat	 sb;
	char		 text[4096];
	int		 found, ok = 0;

	buf_printf(&p, "%s.git", path);
	found = lstat(p.data, &sb) == 0;
	if (found && S_ISDIR(sb.st_mode))
		ok = is_git_dir(p.data);
	else if (found && S_ISREG(sb.st_mode) &&
	    read_small(p.data, text, sizeof text) > 8 &&
	    strncmp(text, "gitdir: ", 8) == 0) {
		text[strcspn(text, "\r\n")] = '\0';
		if (text[8] != '/')
			buf_addstr(&target, path);
		buf_addstr(&target, text + 8);
		ok = is_git_dir(target.data);
	}
	buf_free(&p);
	buf_free(&target);
	return ok;
}

static int
dir_has_untracked(struct scan *sc, struct buf *rel, int depth)
{
	const char	*wd = git_repository_workdir(sc->repo);
	struct buf	 path = { 0 }, subdirs = { 0 };
	struct dirent	*de;
	enum scan_kind	 kind;
	DIR		*dir;
	size_t		 len = rel->len, off;
	int		 found = 0, isdir;

	if (depth > UNTRACKED_DEPTH_MAX)
		return 1;
	buf_printf(&path, "%s%s", wd, rel->data);
	dir = opendir(path.data);
	if (dir == NULL) {
		/* git lists a directory it cannot read, and warns. */
		if (errno == EACCES) {
			buf_reset(&path);
			buf_printf(&path, "cannot read '%s': %s", rel->data,
			    strerror(errno));
			set_error(sc->st, path.data);
			found = 1;
		}
		buf_free(&path);
		return found;
	}
	while (!found && (de = readdir(dir)) != NULL) {
		/* A repository of its own: git shows it as one entry. */
		if (strcmp(de->d_name, ".git") == 0) {
			found = nested_repository(path.data);
			continue;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((kind = scan_kind(dir, de)) == SCAN_NONE)
			continue;
		isdir = kind == SCAN_DIR;
		buf_addstr(rel, de->d_name);
		if (isdir)
			buf_addch(rel, '/');
		if (!is_ignored(sc, rel->data)) {
			if (isdir)
				buf_add(&subdirs, rel->data + len,
				    rel->len - len + 1);
			else
				found = 1;
		}
		rel->len = len;
		rel->data[len] = '\0';
	}
	closedir(dir);
	buf_free(&path);
	for (off = 0; !found && off < subdirs.len;
	    off += strlen(subdirs.data + off) + 1) {
		if (sc->deadline != 0 && now_usec() >= sc->deadline) {
			sc->stop = STOP_BUDGET;
			break;
		}
		buf_addstr(rel, subdirs.data + off);
		found = dir_has_untracked(sc, rel, depth + 1);
		rel->len = len;
		rel->data[len] = '\0';
	}
	buf_free(&subdirs);
	return found;
}

static int
notify_staged(const git_diff *diff, const git_diff_delta *delta,
    const char *pathspec, void *payload)
{
	struct scan	*sc = payload;

	const git_index_entry	*e;

	(void)diff;
	(void)pathspec;
	if (delta->status == GIT_DELTA_CONFLICTED)
		return 1;
	/* git shows an intent-to-add entry as unstaged only. */
	if (delta->status == GIT_DELTA_ADDED && sc->index != NULL &&
	    (e = git_index_get_bypath(sc->index, delta->new_file.path,
	    0)) != NULL && (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD))
		return 1;
	sc->st->staged++;
	if (sc->mode == SCAN_MARKERS) {
		sc->stop = STOP_ENOUGH;
		return -1;
	}
	return 1;
}

static int
untracked_counts(struct scan *sc, const char *path)
{
	struct buf	rel = { 0 };
	size_t		n = strlen(path);
	int		r;

	if (n == 0 || path[n - 1] != '/')
		return 1;
	buf_addstr(&rel, path);
	r = dir_has_untracked(sc, &rel, 0);
	buf_free(&rel);
	return r;
}

static int
notify_worktree(const git_diff *diff, const git_diff_delta *delta,
    const char *pathspec, void *payload)
{
	struct scan		*sc = payload;
	struct repo_state	*st = sc->st;

	(void)diff;
	(void)pathspec;
	switch (delta->status) {
	case GIT_DELTA_CONFLICTED:
	case GIT_DELTA_IGNORED:
	case GIT_DELTA_UNMODIFIED:
		return 1;
	case GIT_DELTA_UNTRACKED:
		if (!untracked_counts(sc, delta->new_file.path))
			return sc->stop == STOP_BUDGET ? -1 : 1;
		st->untracked++;
		break;
	default:
		st->unstaged++;
		break;
	}
	if (sc->mode == SCAN_MARKERS && st->untracked > 0 &&
	    st->unstaged > 0) {
		sc->stop = STOP_ENOUGH;
		return -1;
	}
	return 1;
}

static void
budget_error(struct repo_state *st, long budget_ms)
{
	struct buf	b = { 0 };

	buf_printf(&b, "scan stopped at the %ld ms time limit", budget_ms);
	set_error(st, b.data);
	buf_free(&b);
}

/* Run one diff and turn a stop we asked for into success. */
static void
finish_diff(struct repo_state *st, struct scan *sc, int error,
    git_diff *diff, const char *what, long budget_ms)
{
	git_diff_free(diff);
	if (sc->stop == STOP_BUDGET)
		budget_error(st, budget_ms);
	else if (sc->stop == STOP_ENOUGH)
		st->early = 1;
	else if (error != 0)
		set_git_error(st, what);
	git_error_clear();
}

static void
scan_staged(struct repo_state *st, git_repository *repo, git_index *index,
    struct scan *sc, long budget_ms)
{
	git_diff_options	 opts;
	git_object		*tree = NULL;
	git_diff		*diff = NULL;
	int			 error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (head_tree((git_tree **)&tree, sc) != 0)
		return;
	opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_SKIP_BINARY_CHECK;
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_DIRTY;
	opts.notify_cb = notify_staged;
	opts.progress_cb = scan_progress;
	opts.payload = sc;
	sc->stop = STOP_NONE;
	error = git_diff_tree_to_index(&diff, repo, (git_tree *)tree, index,
	    &opts);
	git_object_free(tree);
	finish_diff(st, sc, error, diff, "cannot compare HEAD and the index",
	    budget_ms);
}

static void
scan_worktree(struct repo_state *st, git_repository *repo,
    git_index *index, struct scan *sc, long budget_ms)
{
	git_diff_options	 opts;
	git_diff		*diff = NULL;
	int			 error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_INCLUDE_TYPECHANGE |
	    GIT_DIFF_SKIP_BINARY_CHECK;
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_DIRTY;
	opts.notify_cb = notify_worktree;
	opts.progress_cb = scan_progress;
	opts.payload = sc;
	sc->stop = STOP_NONE;
	error = git_diff_index_to_workdir(&diff, repo, index, &opts);
	finish_diff(st, sc, error, diff,
	    "cannot compare the index and the work tree", budget_ms);
}

/*
 * The fast path.  The index is read directly (index.c) rather than by
 * libgit2, which verifies a checksum over the whole file and builds
 * structures a status never needs; the work tree is compared by
 * scan.c's threads; libgit2 is left only what needs the object
 * database or the ignore rules: the HEAD tree, hashing the few entries
 * whose stat data cannot settle them, and the names the index lacks.
 */

/* The configuration the fast path needs, read from one snapshot. */
struct fast_config {
	struct scan_config	 scan;
	int			 show_untracked;	/* showUntrackedFiles
							   is not "no" */
	struct buf		 excludes;	/* core.excludesFile, or
						   git's default */
};

struct fast {
	git_repository		*repo;
	struct repo_state	*st;
	struct scan		*sc;
	const struct index	*ix;
	struct fast_config	 cfg;

	/*
	 * Whether a file may pass through a filter when it is hashed:
	 * -1 until known, then 1 when core.autocrlf or an attributes file
	 * outside the work tree could ask for one.  plain_dir is the last
	 * directory found free of .gitattributes all the way up.
	 */
	int			 filters;
	struct buf		 plain_dir;
	int			 plain_known;
	git_config		*config;	/* a snapshot, once needed */
};

/* Threads for the scan: every core, up to eight. */
static int
scan_threads(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static int
config_bool(git_config *cfg, const char *name, int def)
{
	int	v;

	if (cfg == NULL || git_config_get_bool(&v, cfg, name) != 0) {
		git_error_clear();
		return def;
	}
	return v;
}

/*
 * The repository's configuration, one snapshot for the whole of the
 * fast path: the scan's settings, then whatever hashing needs.
 */
static git_config *
fast_config(struct fast *f)
{
	if (f->config == NULL &&
	    git_repository_config_snapshot(&f->config, f->repo) != 0) {
		f->config = NULL;
		git_error_clear();
	}
	return f->config;
}

static void
read_fast_config(struct fast *f)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME");
	const char	*home = getenv("HOME");
	struct fast_config *c = &f->cfg;
	git_config	*cfg = fast_config(f);
	git_buf		 v = { 0 };
	const char	*s;
	int		 b;

	c->scan.filemode = config_bool(cfg, "core.filemode", 1);
	c->scan.trustctime = config_bool(cfg, "core.trustctime", 1);
	c->scan.symlinks = config_bool(cfg, "core.symlinks", 1);
	c->scan.ignorecase = config_bool(cfg, "core.ignorecase", 0);
	c->scan.sparse_present = config_bool(cfg, "core.sparsecheckout", 0) &&
	    !config_bool(cfg, "sparse.expectfilesoutsideofpatterns", 0);
	c->scan.checkstat = !(cfg != NULL &&
	    git_config_get_string(&s, cfg, "core.checkstat") == 0 &&
	    strcmp(s, "minimal") == 0);

	/* showUntrackedFiles=no, as in many a home directory kept in
	   git, turns untracked files off for git status, and so here. */
	c->show_untracked = 1;
	if (cfg != NULL && git_config_get_string_buf(&v, cfg,
	    "status.showuntrackedfiles") == 0)
		c->show_untracked = !(strcmp(v.ptr, "no") == 0 ||
		    (git_config_parse_bool(&b, v.ptr) == 0 && !b));
	git_buf_dispose(&v);

	buf_reset(&c->excludes);
	if (cfg != NULL &&
	    git_config_get_path(&v, cfg, "core.excludesfile") == 0)
		buf_addstr(&c->excludes, v.ptr);
	else if (xdg != NULL && *xdg != '\0')
		buf_printf(&c->excludes, "%s/git/ignore", xdg);
	else if (home != NULL && *home != '\0')
		buf_printf(&c->excludes, "%s/.config/git/ignore", home);
	git_buf_dispose(&v);
	git_error_clear();
}

static void
count_conflicts_fast(struct repo_state *st, const struct index *ix)
{
	const char	*last = NULL;
	size_t		 lastlen = 0, n;

	struct index_entry	 e;

	for (n = 0; n < ix->nr; n++) {
		index_get(ix, n, &e);
		if (e.stage == 0)
			continue;
		if (last != NULL && lastlen == e.path_len &&
		    memcmp(last, e.path, lastlen) == 0)
			continue;
		st->conflicted++;
		last = e.path;
		lastlen = e.path_len;
	}
}

/* 1 when a staged change was counted and the caller may stop. */
static int
staged_one(struct fast *f)
{
	f->st->staged++;
	if (f->sc->mode == SCAN_MARKERS) {
		f->sc->stop = STOP_ENOUGH;
		return 1;
	}
	return 0;
}

/* Count every blob under a tree that the index no longer holds. */
static int
staged_deleted_tree(struct fast *f, const git_oid *id)
{
	git_tree		*tree;
	const git_tree_entry	*te;
	size_t			 i, n;

	if (git_tree_lookup(&tree, f->repo, id) != 0) {
		set_git_error(f->st, "cannot read a tree of HEAD");
		return 1;
	}
	n = git_tree_entrycount(tree);
	for (i = 0; i < n; i++) {
		te = git_tree_entry_byindex(tree, i);
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
			if (staged_deleted_tree(f, git_tree_entry_id(te)))
				break;
		} else if (staged_one(f))
			break;
	}
	git_tree_free(tree);
	return i < n;
}

/* The first path component of entry e below prefix, and whether more
   components follow it. */
static size_t
component(const struct index_entry *e, size_t plen, int *deeper)
{
	const char	*p = e->path + plen;
	const char	*slash = memchr(p, '/', e->path_len - plen);

	*deeper = slash != NULL;
	return slash != NULL ? (size_t)(slash - p) : e->path_len - plen;
}

/* The end of the run of entries from n with the same first component:
   a whole directory, or every stage of one path. */
static size_t
component_end(const struct index *ix, size_t n, size_t hi, size_t plen,
    size_t clen, int deeper)
{
	struct index_entry	e, o;
	size_t			k, keep = plen + clen + deeper;

	index_get(ix, n, &e);
	for (k = n + 1; k < hi; k++) {
		index_get(ix, k, &o);
		if (o.path_len < keep || (!deeper && o.path_len != keep) ||
		    memcmp(o.path, e.path, keep) != 0)
			break;
	}
	return k;
}

/* Order two names as git orders tree entries: a directory's name is
   read with a '/' after it. */
static int
name_cmp(const char *a, size_t alen, int adir, const char *b, size_t blen,
    int bdir)
{
	size_t		m = alen < blen ? alen : blen;
	unsigned int	ca, cb;
	int		c;

	if ((c = memcmp(a, b, m)) != 0)
		return c;
	ca = alen > m ? (unsigned char)a[m] : adir ? '/' : 0;
	cb = blen > m ? (unsigned char)b[m] : bdir ? '/' : 0;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return alen == blen ? 0 : alen < blen ? -1 : 1;
}

static int
staged_added(struct fast *f, size_t lo, size_t hi)
{
	struct index_entry	e;
	size_t			n;

	for (n = lo; n < hi; n++) {
		index_get(f->ix, n, &e);
		if (e.stage != 0 || (e.flags & INDEX_INTENT_TO_ADD))
			continue;
		if (staged_one(f))
			return 1;
	}
	return 0;
}

static int
mode_of(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFLNK:
		return GIT_FILEMODE_LINK;
	case 0160000:
		return GIT_FILEMODE_COMMIT;
	case S_IFDIR:
		return GIT_FILEMODE_TREE;
	default:
		return mode & 0111 ? GIT_FILEMODE_BLOB_EXECUTABLE :
		    GIT_FILEMODE_BLOB;
	}
}

static int	staged_walk(struct fast *, const git_oid *, size_t, size_t,
		    size_t);

/* Compare a tree entry with the index entries of the same name. */
static int
staged_pair(struct fast *f, const git_tree_entry *te, size_t n, size_t end,
    size_t plen, int deeper)
{
	struct index_entry	 ent, *e = &ent;
	const unsigned char	*raw;
	git_oid			 id;

	index_get(f->ix, n, e);
	if (e->flags & INDEX_SPARSE_DIR) {
		/* A sparse directory holds its tree's id. */
		git_oid_fromraw(&id, e->oid);
		return git_oid_equal(&id, git_tree_entry_id(te)) ? 0 :
		    staged_one(f);
	}
	/* The cache tree vouches for whole directories. */
	if (deeper && index_tree_id(f->ix, e->path, plen +
	    strlen(git_tree_entry_name(te)) + 1, &raw) &&
	    git_oid_fromraw(&id, raw) == 0 &&
	    git_oid_equal(&id, git_tree_entry_id(te)))
		return 0;
	if (deeper)
		return staged_walk(f, git_tree_entry_id(te), n, end,
		    plen + strlen(git_tree_entry_name(te)) + 1);
	if (e->stage != 0 || (e->flags & INDEX_INTENT_TO_ADD))
		return 0;
	git_oid_fromraw(&id, e->oid);
	if (!git_oid_equal(&id, git_tree_entry_id(te)) ||
	    mode_of(e->mode) != (int)git_tree_entry_filemode(te))
		return staged_one(f);
	return 0;
}

/*
 * Walk a tree of HEAD against the index entries [lo, hi) that lie below
 * it (their paths share its first plen bytes).  Both are sorted the
 * same way once a directory's name is read with a '/' after it.
 * Returns 1 when the caller should stop.
 */
static int
staged_walk(struct fast *f, const git_oid *tree_id, size_t lo, size_t hi,
    size_t plen)
{
	const struct index	*ix = f->ix;
	struct index_entry	 e;
	git_tree		*tree;
	const git_tree_entry	*te = NULL;
	const char		*name = NULL;
	size_t                   i = 0, nt, n = lo, clen = 0, tlen = 0, end;
	int			 deeper = 0, tdir = 0, c, stop = 0;

	if (git_tree_lookup(&tree, f->repo, tree_id) != 0) {
		set_git_error(f->st, "cannot read a tree of HEAD");
		return 1;
	}
	nt = git_tree_entrycount(tree);
	while (!stop && (i < nt || n < hi)) {
		if (i < nt) {
			te = git_tree_entry_byindex(tree, i);
			name = git_tree_entry_name(te);
			tlen = strlen(name);
			tdir = git_tree_entry_type(te) == GIT_OBJECT_TREE;
		}
		if (n < hi) {
			index_get(ix, n, &e);
			clen = component(&e, plen, &deeper);
		}
		if (i == nt)
			c = 1;
		else if (n == hi)
			c = -1;
		else
			c = name_cmp(name, tlen, tdir, e.path + plen, clen,
			    deeper);
		if (c < 0) {
			/* In HEAD, gone from the index. */
			stop = tdir ? staged_deleted_tree(f,
			    git_tree_entry_id(te)) : staged_one(f);
			i++;
			continue;
		}
		end = component_end(ix, n, hi, plen, clen, deeper);
		if (c > 0)
			stop = staged_added(f, n, end);
		else {
			stop = staged_pair(f, te, n, end, plen, deeper);
			i++;
		}
		n = end;
	}
	git_tree_free(tree);
	return stop;
}

static void
staged_fast(struct fast *f, const git_oid *head_tree)
{
	git_oid	id;

	if (head_tree == NULL) {
		staged_added(f, 0, f->ix->nr);
		return;
	}
	/* A valid cache tree that matches HEAD: nothing is staged. */
	if (f->ix->cache_tree_root_valid &&
	    git_oid_fromraw(&id, f->ix->cache_tree_root) == 0 &&
	    git_oid_equal(&id, head_tree))
		return;
	staged_walk(f, head_tree, 0, f->ix->nr, 0);
}

/* Whether a submodule's checked-out commit moved from the recorded one. */
static int
submodule_moved(struct fast *f, const struct index_entry *e)
{
	git_repository	*sub = NULL;
	struct buf	 path = { 0 };
	git_oid		 head, want;
	int		 moved = 0;

	buf_printf(&path, "%s%s", git_repository_workdir(f->repo), e->path);
	if (git_repository_open_ext(&sub, path.data,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
	    git_reference_name_to_id(&head, sub, "HEAD") == 0) {
		git_oid_fromraw(&want, e->oid);
		moved = !git_oid_equal(&head, &want);
	}
	git_error_clear();
	git_repository_free(sub);
	buf_free(&path);
	return moved;
}

/*
 * Whether git would pass the path through something libgit2 cannot:
 * an external filter driver (Git LFS, for one), which atprompt never
 * runs, or a working-tree-encoding.  A filter attribute naming no
 * configured driver is nothing to git, which then hashes the file as
 * it is, and so does libgit2.
 */
static int
unfilterable(struct fast *f, const char *path)
{
	const char	*names[] = { "filter", "working-tree-encoding" };
	const char	*values[2];
	git_config	*cfg;
	git_config_entry *e = NULL;
	struct buf	 key = { 0 };
	int		 driver = 0;

	if (git_attr_get_many(values, f->repo, 0, path, 2, names) != 0) {
		git_error_clear();
		return 0;
	}
	if (git_attr_value(values[1]) == GIT_ATTR_VALUE_STRING)
		return 1;
	if (git_attr_value(values[0]) != GIT_ATTR_VALUE_STRING)
		return 0;
	if ((cfg = fast_config(f)) == NULL)
		return 1;
	buf_printf(&key, "filter.%s.clean", values[0]);
	driver = git_config_get_entry(&e, cfg, key.data) == 0;
	git_config_entry_free(e);
	e = NULL;
	buf_reset(&key);
	buf_printf(&key, "filter.%s.process", values[0]);
	driver = driver || git_config_get_entry(&e, cfg, key.data) == 0;
	git_config_entry_free(e);
	buf_free(&key);
	git_error_clear();
	return driver;
}

/*
 * git leaves CRLF alone in a file whose indexed blob already has CRLF,
 * when only core.autocrlf or text=auto asks for conversion: the file
 * then hashes as it is.  libgit2's filter does not know the index here
 * (it has an empty one), so the rule is applied by hand.
 */
static int
kept_crlf(git_repository *repo, const char *path, const git_oid *blob_id)
{
	const char	*text = NULL;
	git_blob	*blob = NULL;
	int		 r = 0;

	if (git_attr_get(&text, repo, 0, path, "text") == 0 &&
	    git_attr_value(text) == GIT_ATTR_VALUE_TRUE)
		return 0;
	if (git_blob_lookup(&blob, repo, blob_id) == 0)
		r = memchr(git_blob_rawcontent(blob), '\r',
		    (size_t)git_blob_rawsize(blob)) != NULL;
	git_blob_free(blob);
	git_error_clear();
	return r;
}

/* Whether FILE names something that exists. */
static int
exists(const char *file)
{
	struct stat	sb;

	return lstat(file, &sb) == 0;
}

/*
 * 1 when core.autocrlf, info/attributes, the user's or the system's
 * attributes file could turn on a filter for any path.
 */
static int
global_filters(struct fast *f)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME");
	const char	*home = getenv("HOME");
	git_config	*cfg = fast_config(f);
	git_config_entry *crlf = NULL;
	git_buf		 v = { 0 };
	struct buf	 p = { 0 };
	int		 b, r = 0;

	if (cfg == NULL)
		r = 1;
	else if (git_config_get_entry(&crlf, cfg, "core.autocrlf") == 0)
		/* "input", a true value, or a bare name, which is true. */
		r = crlf->value == NULL ||
		    git_config_parse_bool(&b, crlf->value) != 0 || b;
	git_config_entry_free(crlf);
	/* git reads a relative name from the top of the work tree. */
	if (r == 0 &&
	    git_config_get_path(&v, cfg, "core.attributesfile") == 0) {
		if (v.ptr[0] != '/')
			buf_addstr(&p, git_repository_workdir(f->repo));
		buf_addstr(&p, v.ptr);
	} else if (xdg != NULL && *xdg != '\0')
		buf_printf(&p, "%s/git/attributes", xdg);
	else if (home != NULL && *home != '\0')
		buf_printf(&p, "%s/.config/git/attributes", home);
	if (r == 0 && p.len > 0 && exists(p.data))
		r = 1;
	buf_reset(&p);
	buf_printf(&p, "%sinfo/attributes",
	    git_repository_commondir(f->repo));
	if (r == 0 && (exists(p.data) || exists("/etc/gitattributes")))
		r = 1;
	git_buf_dispose(&v);
	buf_free(&p);
	git_error_clear();
	return r;
}

/*
 * Whether PATH can be hashed as it is on disk, which is what git does
 * when no attribute and no core.autocrlf applies to it.  That saves
 * libgit2's attribute lookups, most of the cost of a file that has to
 * be hashed.  The .gitattributes files of its directories are looked
 * for on disk, as libgit2 would, and each directory found clean is
 * remembered, so that the next path of the same directory costs no
 * system call.
 */
static int
plain_file(struct fast *f, const char *path)
{
	const char	*wd = git_repository_workdir(f->repo);
	struct buf	 p = { 0 };
	struct stat	 sb;
	size_t		 dl, same, i;
	int		 plain = 1;

	if (f->filters == -1)
		f->filters = global_filters(f);
	if (f->filters)
		return 0;
	for (dl = strlen(path); dl > 0 && path[dl - 1] != '/'; dl--)
		continue;
	/* Levels shared with the last clean directory are clean too. */
	same = 0;
	if (f->plain_known)
		while (same < dl && same < f->plain_dir.len &&
		    path[same] == f->plain_dir.data[same])
			same++;
	for (i = 0; plain && i <= dl; i++) {
		if ((i > 0 && path[i - 1] != '/') ||
		    (f->plain_known && i <= same))
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s%.*s.gitattributes", wd, (int)i, path);
		/* git reads no .gitattributes that is a symbolic link. */
		plain = lstat(p.data, &sb) != 0 || S_ISLNK(sb.st_mode);
	}
	buf_free(&p);
	if (plain) {
		buf_reset(&f->plain_dir);
		buf_add(&f->plain_dir, path, dl);
		f->plain_known = 1;
	}
	return plain;
}

/*
 * Settle an entry whose stat data changed but whose size did not, as
 * git does: by hashing what the work tree holds.  A path whose
 * attributes name a filter driver is never handed to it; with its size
 * unchanged it counts as unchanged (the contract's rule).
 */
static int
content_changed(struct fast *f, const struct index_entry *e)
{
	const char	*wd = git_repository_workdir(f->repo);
	struct buf	 path = { 0 };
	git_oid		 got, want;
	char		 link[4096];
	ssize_t		 n;
	int		 changed = 1;

	if ((e->mode & S_IFMT) == 0160000)
		return submodule_moved(f, e);
	buf_printf(&path, "%s%s", wd, e->path);
	git_oid_fromraw(&want, e->oid);
	if ((e->mode & S_IFMT) == S_IFLNK && f->cfg.scan.symlinks) {
		n = readlink(path.data, link, sizeof link);
		if (n >= 0 && git_odb_hash(&got, link, (size_t)n,
		    GIT_OBJECT_BLOB) == 0)
			changed = !git_oid_equal(&got, &want);
	} else if (plain_file(f, e->path) && git_odb_hashfile(&got,
	    path.data, GIT_OBJECT_BLOB) == 0)
		changed = !git_oid_equal(&got, &want);
	else if (unfilterable(f, e->path))
		changed = 0;
	else if (git_repository_hashfile(&got, f->repo, path.data,
	    GIT_OBJECT_BLOB, e->path) == 0) {
		changed = !git_oid_equal(&got, &want);
		if (changed && kept_crlf(f->repo, e->path, &want) &&
		    git_repository_hashfile(&got, f->repo, path.data,
		    GIT_OBJECT_BLOB, "") == 0)
			changed = !git_oid_equal(&got, &want);
	} else {
		buf_reset(&path);
		buf_printf(&path, "cannot read '%s'", e->path);
		set_git_error(f->st, path.data);
		changed = 0;
	}
	git_error_clear();
	buf_free(&path);
	return changed;
}

static void
settle_suspects(struct fast *f, const struct scan_result *r)
{
	struct index_entry	e;
	size_t			i;

	for (i = 0; i < r->nsuspects; i++) {
		if (f->sc->mode == SCAN_MARKERS && f->st->unstaged > 0)
			return;
		if (f->sc->deadline != 0 && now_usec() >= f->sc->deadline) {
			f->sc->stop = STOP_BUDGET;
			return;
		}
		index_get(f->ix, r->suspects[i], &e);
		if (content_changed(f, &e))
			f->st->unstaged++;
	}
}

/*
 * Under core.ignoreCase git takes a directory spelt in another case
 * than a tracked one for that directory, and lists what it holds one
 * by one.  Count what it would list: files, untracked directories once
 * each, and such directories again by their contents.  rel ends in '/'.
 */
static size_t
case_alias_untracked(struct fast *f, const struct scan_result *r,
    struct buf *rel, int depth)
{
	struct buf	 path = { 0 };
	struct dirent	*de;
	enum scan_kind	 kind;
	DIR		*dir;
	size_t		 len = rel->len, n = 0;
	int		 isdir;

	if (depth > UNTRACKED_DEPTH_MAX)
		return 0;
	buf_printf(&path, "%s%s", git_repository_workdir(f->repo),
	    rel->data);
	dir = opendir(path.data);
	buf_free(&path);
	if (dir == NULL)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		if (f->sc->deadline != 0 && now_usec() >= f->sc->deadline) {
			f->sc->stop = STOP_BUDGET;
			break;
		}
		if ((kind = scan_kind(dir, de)) == SCAN_NONE)
			continue;
		isdir = kind == SCAN_DIR;
		buf_addstr(rel, de->d_name);
		if (isdir)
			buf_addch(rel, '/');
		if (scan_tracked_icase(r, rel->data, rel->len)) {
			if (isdir)
				n += case_alias_untracked(f, r, rel, depth + 1);
		} else if (!is_ignored(f->sc, rel->data) &&
		    (!isdir || untracked_counts(f->sc, rel->data)))
			n++;
		rel->len = len;
		rel->data[len] = '\0';
	}
	closedir(dir);
	return n;
}

/*
 * Whether the file at REL (LEN bytes), whose lstat is SB, differs from
 * tree entry TE, by git's rules for an entry that has no stat data: a
 * type or executable bit that changed, else its content.
 */
static int
blob_differs(struct fast *f, const git_tree_entry *te, const char *rel,
    size_t len, const struct stat *sb)
{
	struct index_entry	e = { 0 };
	git_filemode_t		mode = git_tree_entry_filemode(te);

	if ((mode == GIT_FILEMODE_LINK) != (S_ISLNK(sb->st_mode) != 0) &&
	    f->cfg.scan.symlinks)
		return 1;
	if (mode != GIT_FILEMODE_LINK && f->cfg.scan.filemode &&
	    (mode == GIT_FILEMODE_BLOB_EXECUTABLE) !=
	    ((sb->st_mode & 0100) != 0))
		return 1;
	e.path = rel;
	e.path_len = len;
	e.mode = (uint32_t)mode;
	e.oid = git_tree_entry_id(te)->id;
	return content_changed(f, &e);
}

/*
 * A .gitignore that TREE holds but directory REL (ending in '/', open
 * as DIR) lacks: git reads the one in the index, which a sparse index
 * keeps inside the tree.
 */
static void
tree_gitignore(struct fast *f, git_tree *tree, DIR *dir,
    const struct buf *rel)
{
	const git_tree_entry	*te;
	git_blob		*blob;
	struct stat		 sb;

	if (f->sc->ignore == NULL ||
	    (te = git_tree_entry_byname(tree, ".gitignore")) == NULL ||
	    git_tree_entry_type(te) != GIT_OBJECT_BLOB ||
	    fstatat(dirfd(dir), ".gitignore", &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return;
	if (git_blob_lookup(&blob, f->repo, git_tree_entry_id(te)) != 0) {
		git_error_clear();
		return;
	}
	ignore_set_rules(f->sc->ignore, rel->data, rel->len - 1,
	    git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
}

/*
 * Walk directory REL (ending in '/') beside TREE, the tree the index
 * records for it: a file the tree has is compared with it when git
 * would (sparse_present), anything else is untracked (counted only
 * when NAMES is set).
 */
static void
sparse_walk(struct fast *f, git_tree *tree, struct buf *rel, int names,
    int depth)
{
	const git_tree_entry	*te;
	struct buf		 path = { 0 };
	struct dirent		*de;
	struct stat		 sb;
	enum scan_kind		 kind;
	git_object_t		 type;
	git_tree		*sub;
	DIR			*dir;
	size_t			 len = rel->len;

	if (depth > UNTRACKED_DEPTH_MAX)
		return;
	buf_printf(&path, "%s%s", git_repository_workdir(f->repo),
	    rel->data);
	dir = opendir(path.data);
	buf_free(&path);
	if (dir == NULL)
		return;
	if (names)
		tree_gitignore(f, tree, dir, rel);
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0 ||
		    (kind = scan_kind(dir, de)) == SCAN_NONE ||
		    fstatat(dirfd(dir), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (f->sc->deadline != 0 && now_usec() >= f->sc->deadline) {
			f->sc->stop = STOP_BUDGET;
			break;
		}
		te = git_tree_entry_byname(tree, de->d_name);
		type = te != NULL ? git_tree_entry_type(te) : GIT_OBJECT_ANY;
		buf_addstr(rel, de->d_name);
		if (kind == SCAN_DIR)
			buf_addch(rel, '/');
		if (type == GIT_OBJECT_TREE && kind == SCAN_DIR) {
			if (git_tree_lookup(&sub, f->repo,
			    git_tree_entry_id(te)) == 0) {
				sparse_walk(f, sub, rel, names, depth + 1);
				git_tree_free(sub);
			}
			git_error_clear();
		} else if (type == GIT_OBJECT_BLOB) {
			/* A directory where the file was is a change. */
			if (f->cfg.scan.sparse_present && (kind == SCAN_DIR ||
			    blob_differs(f, te, rel->data, rel->len, &sb)))
				f->st->unstaged++;
		} else if ((type == GIT_OBJECT_ANY ||
		    type == GIT_OBJECT_TREE) && names &&
		    !is_ignored(f->sc, rel->data) &&
		    untracked_counts(f->sc, rel->data))
			f->st->untracked++;
		rel->len = len;
		rel->data[len] = '\0';
	}
	closedir(dir);
}

/*
 * A directory that a sparse index keeps as one entry, yet that is on
 * disk: git lists in it the names its tree does not hold as untracked
 * and, unless sparse.expectFilesOutsideOfPatterns is set, clears
 * skip-worktree from the files it finds there and compares them.
 */
static void
sparse_dirs_on_disk(struct fast *f, int names)
{
	struct index_entry	 e;
	struct buf		 rel = { 0 }, path = { 0 };
	struct stat		 sb;
	git_tree		*tree;
	git_oid			 id;
	size_t			 n;

	for (n = 0; n < f->ix->nr && f->sc->stop != STOP_BUDGET; n++) {
		index_get(f->ix, n, &e);
		if (!(e.flags & INDEX_SPARSE_DIR) || e.stage != 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s%s", git_repository_workdir(f->repo),
		    e.path);
		if (lstat(path.data, &sb) != 0 || !S_ISDIR(sb.st_mode))
			continue;
		git_oid_fromraw(&id, e.oid);
		if (git_tree_lookup(&tree, f->repo, &id) != 0) {
			set_git_error(f->st, "cannot read a sparse directory");
			break;
		}
		buf_reset(&rel);
		buf_add(&rel, e.path, e.path_len);
		sparse_walk(f, tree, &rel, names, 0);
		git_tree_free(tree);
	}
	buf_free(&rel);
	buf_free(&path);
}

static void
settle_candidates(struct fast *f, struct scan_result *r)
{
	struct scan_candidate	*c;
	struct scan_dir		*sd;
	struct buf		 rel = { 0 };
	size_t			 i, len, n;
	int			 ignored;

	for (i = 0; i < r->ncands; i++) {
		c = &r->cands[i];
		sd = &r->dirs[c->dir];
		if (f->sc->mode == SCAN_MARKERS && f->st->untracked > 0)
			break;
		if (f->sc->stop == STOP_BUDGET)
			break;
		if (c->case_alias) {
			sd->settled++;
			sd->untracked_dir = 1;
			buf_reset(&rel);
			buf_addstr(&rel, c->path);
			n = case_alias_untracked(f, r, &rel, 0);
			f->st->untracked += n;
			sd->untracked += n;
			continue;
		}
		ignored = is_ignored(f->sc, c->path);
		sd->settled++;
		if (ignored)
			continue;
		len = strlen(c->path);
		if (len > 0 && c->path[len - 1] == '/')
			sd->untracked_dir = 1;
		if (!untracked_counts(f->sc, c->path))
			continue;
		f->st->untracked++;
		sd->untracked++;
	}
	buf_free(&rel);
}

/*
 * The files whose change can change what is ignored: the config (it
 * names core.excludesFile), info/exclude, the excludes file, and every
 * tracked .gitignore.  Their paths and stat data key the cache.
 */
static uint64_t
ignore_sig(struct fast *f, const struct scan_result *r)
{
	const char		*home = getenv("HOME");
	const char		*xdg = getenv("XDG_CONFIG_HOME");
	const char		*global = getenv("GIT_CONFIG_GLOBAL");
	const char		*common = git_repository_commondir(f->repo);
	struct index_entry	 e;
	struct buf		 b = { 0 };
	uint64_t		 h = HASH_START;
	size_t			 i;

#define SIG_FILE(...) do {						\
	buf_reset(&b);							\
	buf_printf(&b, __VA_ARGS__);					\
	h = cache_file_sig(h, b.data);					\
} while (0)
	SIG_FILE("%sconfig", common);
	SIG_FILE("%sinfo/exclude", common);
	if (global != NULL)
		SIG_FILE("%s", global);
	if (home != NULL) {
		SIG_FILE("%s/.gitconfig", home);
		SIG_FILE("%s/.config/git/config", home);
		SIG_FILE("%s/.config/git/ignore", home);
	}
	if (xdg != NULL) {
		SIG_FILE("%s/git/config", xdg);
		SIG_FILE("%s/git/ignore", xdg);
	}
	if (f->cfg.excludes.len > 0)
		SIG_FILE("%s", f->cfg.excludes.data);
	for (i = 0; i < r->nignore_files; i++) {
		index_get(f->ix, r->ignore_files[i], &e);
		SIG_FILE("%s%s", git_repository_workdir(f->repo), e.path);
		h = hash_bytes(h, e.oid, f->ix->hash_size);
	}
#undef SIG_FILE
	buf_free(&b);
	return h;
}

/* An untracked .gitignore changes the rules of every directory below
   it, cached or not. */
static int
untracked_gitignore(const struct scan_result *r)
{
	const char	*base;
	size_t		 i;

	for (i = 0; i < r->ncands; i++) {
		base = strrchr(r->cands[i].path, '/');
		base = base != NULL && base[1] != '\0' ? base + 1 :
		    r->cands[i].path;
		if (strcmp(base, ".gitignore") == 0)
			return 1;
	}
	return 0;
}

/* Forget what scan_names found, to list again without the cache. */
static void
forget_names(struct scan_result *r)
{
	size_t	i;

	for (i = 0; i < r->ncands; i++)
		free(r->cands[i].path);
	free(r->cands);
	r->cands = NULL;
	r->ncands = 0;
	for (i = 0; i < r->ndirs; i++) {
		r->dirs[i].listed = r->dirs[i].untracked_dir = 0;
		r->dirs[i].cached = 0;
		r->dirs[i].cands = r->dirs[i].settled = 0;
		r->dirs[i].untracked = 0;
	}
}

/* The repository's own directories, which the cache stays out of. */
static const char *const *
repo_dirs(const struct fast *f, const char *dirs[3])
{
	dirs[0] = git_repository_path(f->repo);
	dirs[1] = git_repository_commondir(f->repo);
	dirs[2] = NULL;
	return dirs;
}

static void
save_cache(struct fast *f, const struct scan_result *r, uint64_t isig,
    const struct dircache *old)
{
	const char	*dirs[3];
	unsigned char	*keep;
	size_t		 d;

	if (r->timed_out || r->error != NULL || f->sc->stop == STOP_BUDGET ||
	    untracked_gitignore(r))
		return;
	keep = xcalloc(r->ndirs, 1);
	for (d = 0; d < r->ndirs; d++)
		keep[d] = r->dirs[d].listed &&
		    r->dirs[d].settled == r->dirs[d].cands &&
		    !r->dirs[d].untracked_dir;
	cache_save(git_repository_workdir(f->repo), repo_dirs(f, dirs),
	    r->paths_sig, isig, r, keep, old);
	free(keep);
}

static int
cache_enabled(void)
{
	const char	*env = getenv("ATPROMPT_CACHE");

	return env == NULL || strcmp(env, "0") != 0;
}

/* How the directories were answered: listed, or by the cache, and
   what the cache said of them. */
static void
dir_totals(const struct scan_result *r, size_t *listed, size_t *cached,
    size_t *cached_untracked)
{
	size_t	d;

	*listed = *cached = *cached_untracked = 0;
	for (d = 0; d < r->ndirs; d++) {
		*listed += r->dirs[d].listed;
		if (r->dirs[d].cached) {
			(*cached)++;
			*cached_untracked += r->dirs[d].untracked;
		}
	}
}

/*
 * A .gitignore outside the sparse checkout is not on disk; git reads
 * the one in the index instead.  Hand those to ignore.c.
 */
static void
indexed_gitignores(struct fast *f, const struct scan_result *r)
{
	const char		*wd = git_repository_workdir(f->repo);
	struct index_entry	 e;
	struct buf		 path = { 0 };
	struct stat		 sb;
	git_blob		*blob;
	git_oid			 id;
	size_t			 i;

	for (i = 0; i < r->nignore_files; i++) {
		index_get(f->ix, r->ignore_files[i], &e);
		if (!(e.flags & INDEX_SKIP_WORKTREE) || e.stage != 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s%s", wd, e.path);
		if (lstat(path.data, &sb) == 0)
			continue;
		if (git_oid_fromraw(&id, e.oid) != 0 ||
		    git_blob_lookup(&blob, f->repo, &id) != 0) {
			git_error_clear();
			continue;
		}
		ignore_set_rules(f->sc->ignore, e.path, e.path_len > 10 ?
		    e.path_len - 11 : 0, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
	}
	buf_free(&path);
}

static void
worktree_fast(struct fast *f, long budget_ms)
{
	const char		*wd = git_repository_workdir(f->repo);
	const char		*dirs[3];
	struct scan_params	 p = { 0 };
	struct scan_result	 r;
	struct dircache		*cache = NULL;
	uint64_t		 isig = 0;
	size_t			 n;
	int			 names;

	read_fast_config(f);
	names = f->cfg.show_untracked;
	if (names)
		f->sc->ignore = ignore_new(wd,
		    git_repository_commondir(f->repo),
		    f->cfg.excludes.len > 0 ? f->cfg.excludes.data : NULL,
		    f->cfg.scan.ignorecase);
	p.workdir = wd;
	p.index = f->ix;
	p.config = f->cfg.scan;
	p.threads = scan_threads();
	p.deadline = f->sc->deadline;
	p.markers_only = f->sc->mode == SCAN_MARKERS;
	scan_stats(&p, &r);
	if (f->sc->ignore != NULL)
		indexed_gitignores(f, &r);
	f->st->unstaged += r.unstaged;
	if (r.stopped)
		f->st->early = 1;
	if (names && cache_enabled() && !r.timed_out && r.ndirs > 0) {
		isig = ignore_sig(f, &r);
		cache = cache_load(wd, repo_dirs(f, dirs), r.paths_sig, isig,
		    r.ndirs);
		p.cache = cache_lookup;
		p.cache_arg = cache;
	}
	if (names)
		scan_names(&p, &r);
	f->st->cache_used = cache != NULL;
	if (cache != NULL && untracked_gitignore(&r)) {
		forget_names(&r);
		p.cache = NULL;
		scan_names(&p, &r);
	}
	if (r.timed_out)
		f->sc->stop = STOP_BUDGET;
	else {
		settle_suspects(f, &r);
		settle_candidates(f, &r);
		if (f->ix->sparse && (names || f->cfg.scan.sparse_present))
			sparse_dirs_on_disk(f, names);
	}
	dir_totals(&r, &f->st->dirs_listed, &f->st->dirs_cached, &n);
	if (!r.timed_out)
		f->st->untracked += n;
	if (f->sc->stop == STOP_BUDGET)
		budget_error(f->st, budget_ms);
	else if (f->sc->mode == SCAN_MARKERS && f->st->unstaged > 0 &&
	    f->st->untracked > 0)
		f->st->early = 1;
	if (r.error != NULL)
		set_error(f->st, r.error);
	if (cache_enabled() && isig != 0)
		save_cache(f, &r, isig, cache);
	f->st->scanner = "atprompt";
	f->st->entries = f->ix->nr;
	f->st->threads = r.threads;
	f->st->dirs = r.ndirs;
	f->st->hashed = r.nsuspects;
	cache_free(cache);
	scan_result_free(&r);
	ignore_free(f->sc->ignore);
	f->sc->ignore = NULL;
	buf_free(&f->cfg.excludes);
}

/*
 * The index GIT_INDEX_FILE names, or NULL for the repository's own.
 * git reads a relative name from the top of the work tree, where it has
 * moved by then; libgit2 would read it from the current directory.  An
 * empty value names no file: git then reads an empty index, and shows
 * every file deleted and untracked.
 */
static char *
index_file(const struct repo_state *st)
{
	const char	*env = getenv("GIT_INDEX_FILE");
	struct buf	 path = { 0 };

	if (env == NULL)
		return NULL;
	if (*env == '\0')
		return xstrdup("");
	if (*env != '/' && st->workdir != NULL)
		buf_printf(&path, "%s/", st->workdir);
	buf_printf(&path, "%s", env);
	return path.data;
}

static int
index_not_a_file(git_repository *repo, const char *file)
{
	struct buf	path = { 0 };
	struct stat	sb;
	int		r;

	if (file == NULL)
		buf_printf(&path, "%sindex", git_repository_path(repo));
	else
		buf_printf(&path, "%s", file);
	r = stat(path.data, &sb) == 0 && !S_ISREG(sb.st_mode);
	buf_free(&path);
	return r;
}

/*
 * Give libgit2 an empty index of its own.  The fast path never needs
 * libgit2's, but its attribute lookups (for the filters of a file being
 * hashed) would load the real one: a cost on a big index, and an error
 * on a split or sparse index that libgit2 cannot read.  Attributes then
 * come from the work tree's .gitattributes files, which is where git
 * reads them too for any file that is checked out.
 */
static void
detach_index(git_repository *repo)
{
	git_index	*empty = NULL;

	if (git_index_new(&empty) == 0)
		git_repository_set_index(repo, empty);
	git_index_free(empty);
	git_error_clear();
}

/*
 * Read the changes with index.c and scan.c.  Returns -1, having changed
 * nothing, when the index cannot be read that way, so that libgit2 can
 * be asked instead.
 */
static int
read_changes_fast(struct repo_state *st, git_repository *repo,
    struct scan *sc, const char *file, long budget_ms)
{
	struct index	 ix;
	struct fast	 f = { 0 };
	const char	*cause, *env = getenv("ATPROMPT_SCAN");
	git_tree	*tree = NULL;
	long		 t;

	if (env != NULL && strcmp(env, "libgit2") == 0)
		return -1;
	t = now_usec();
	if (index_read(&ix, git_repository_path(repo), file, &cause) != 0) {
		/* Not a file libgit2 could read either, and it would
		   block on a FIFO: say why here. */
		if (ix.damaged || index_not_a_file(repo, file)) {
			set_error(st, cause);
			return 0;
		}
		return -1;
	}
	detach_index(repo);
	f.repo = repo;
	f.st = st;
	f.sc = sc;
	f.ix = &ix;
	f.filters = -1;
	count_conflicts_fast(st, &ix);
	if (!ix.cache_tree_root_valid)
		(void)index_trees(&ix);
	if (head_tree(&tree, sc) == 0)
		staged_fast(&f, tree != NULL ? git_tree_id(tree) : NULL);
	git_tree_free(tree);
	st->usec[STEP_STAGED] = now_usec() - t;

	t = now_usec();
	sc->stop = STOP_NONE;
	worktree_fast(&f, budget_ms);
	st->usec[STEP_WORKTREE] = now_usec() - t;
	buf_free(&f.plain_dir);
	git_config_free(f.config);
	index_free(&ix);
	return 0;
}

static void
read_changes(struct repo_state *st, git_repository *repo,
    const git_oid *head, enum scan_mode mode, long budget_ms, long start)
{
	git_index	*index = NULL;
	struct scan	 sc = { 0 };
	char		*file;
	long		 t;
	int		 error;

	if (st->bare || st->workdir == NULL)
		return;
	sc.repo = repo;
	sc.head = st->unborn ? NULL : head;
	sc.st = st;
	sc.mode = mode;
	sc.deadline = budget_ms > 0 ? start + budget_ms * 1000 : 0;
	file = index_file(st);
	if (read_changes_fast(st, repo, &sc, file, budget_ms) == 0) {
		free(file);
		return;
	}

	t = now_usec();
	if (file != NULL && index_not_a_file(repo, file)) {
		set_error(st, "cannot read index: not a regular file");
		free(file);
		return;
	}
	if (file == NULL)
		error = git_repository_index(&index, repo);
	else if ((error = *file == '\0' ? git_index_new(&index) :
	    git_index_open(&index, file)) == 0)
		git_repository_set_index(repo, index);
	free(file);
	if (error != 0) {
		set_git_error(st, "cannot read the index");
		st->usec[STEP_STAGED] = now_usec() - t;
		return;
	}
	sc.index = index;
	st->scanner = "libgit2";
	st->entries = git_index_entrycount(index);
	count_conflicts(st, index);
	scan_staged(st, repo, index, &sc, budget_ms);
	st->usec[STEP_STAGED] = now_usec() - t;

	t = now_usec();
	if (sc.stop != STOP_BUDGET)
		scan_worktree(st, repo, index, &sc, budget_ms);
	st->usec[STEP_WORKTREE] = now_usec() - t;
	git_index_free(index);
}

void
repo_state_read(struct repo_state *st, const struct repo_request *rq)
{
	git_repository	*repo = NULL;
	git_oid		 head_id;
	long		 start, t;
	int		 error;

	memset(st, 0, sizeof *st);
	st->complete = 1;
	start = t = now_usec();
	git_libgit2_init();
	st->usec[STEP_INIT] = now_usec() - t;

	t = now_usec();
	error = git_repository_open_ext(&repo, NULL,
	    GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	st->usec[STEP_OPEN] = now_usec() - t;
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		goto out;
	}
	if (error != 0) {
		/* A repository is there but cannot be opened: say so, and
		   show what HEAD alone tells. */
		st->repo = 1;
		set_git_error(st, "cannot open the repository");
		/* Another user's repository is refused whole, like git. */
		if (error != GIT_EOWNER)
			read_head_file(st);
		goto out;
	}
	use_cwd_as_worktree(repo);
	read_layout(st, repo);
	rq->checkpoint(rq->arg);

	t = now_usec();
	memset(&head_id, 0, sizeof head_id);
	read_head(st, repo, &head_id, rq->details);
	st->usec[STEP_HEAD] = now_usec() - t;
	rq->checkpoint(rq->arg);

	t = now_usec();
	read_upstream(st, repo, &head_id, rq->details);
	st->usec[STEP_UPSTREAM] = now_usec() - t;

	t = now_usec();
	read_stash(st, repo);
	st->usec[STEP_STASH] = now_usec() - t;

	t = now_usec();
	read_operation(st, repo);
	st->usec[STEP_OPERATION] = now_usec() - t;
	rq->checkpoint(rq->arg);

	read_changes(st, repo, &head_id, rq->mode, rq->budget_ms, start);
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
}

void
repo_state_free(struct repo_state *st)
{
	free(st->workdir);
	free(st->gitdir);
	free(st->branch);
	free(st->tag);
	free(st->op_branch);
	free(st->upstream);
	free(st->error);
	memset(st, 0, sizeof *st);
}
