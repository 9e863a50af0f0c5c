/*
 * ignore.h: git's ignore rules, as git itself applies them, with system
 * calls only.
 *
 * The sources are those git status reads, in git's precedence: the
 * .gitignore of each directory from the path's own up to the top of
 * the work tree, then $GIT_DIR/info/exclude, then core.excludesFile.
 * A path under an ignored directory is ignored whatever its own rules
 * say, as in git (libgit2 1.9 lets a deeper negation win instead).
 */
#ifndef ATPROMPT_IGNORE_H
#define ATPROMPT_IGNORE_H

#include <stddef.h>

struct ignore;

/*
 * Rules for the work tree WORKDIR whose repository is GITDIR (both
 * absolute, a trailing '/' optional).  EXCLUDES_FILE is core.excludesFile
 * as the caller resolved it ($XDG_CONFIG_HOME/git/ignore when unset), or
 * NULL for none.  ICASE is core.ignoreCase: patterns then match without
 * regard to ASCII case, with git's quirks.  Nothing is read until a path
 * is asked about.
 */
struct ignore	*ignore_new(const char *workdir, const char *gitdir,
		    const char *excludes_file, int icase);

/*
 * 1 when git would ignore PATH (LEN bytes, relative to the work tree,
 * no leading '/'), else 0.  ISDIR says PATH is a directory; a trailing
 * '/' says so too.  Each directory's .gitignore is read on first need
 * and kept; a missing or unreadable one, or one that is a symbolic
 * link, counts as empty.
 */
int		 ignore_path(struct ignore *ig, const char *path, size_t len,
		    int isdir);

/*
 * Use TEXT (LEN bytes) for the .gitignore of directory DIR (DLEN bytes,
 * "" for the top, no trailing '/'), as git does for a .gitignore that
 * is skip-worktree and so absent: it reads the one in the index.
 */
void		 ignore_set_rules(struct ignore *ig, const char *dir,
		    size_t dlen, const char *text, size_t len);
void		 ignore_free(struct ignore *ig);

#endif
