/*
 * cache.h: what the last prompt found in each tracked directory, kept
 * between prompts under $XDG_CACHE_HOME/atprompt/, never inside the
 * repository.
 *
 * A directory whose mtime has not changed holds the same names as when
 * it was listed; if the tracked paths and the ignore rules did not
 * change either, it holds the same untracked files, and listing it
 * again can be skipped.  That is the reasoning of git's own untracked
 * cache, kept here in a file of atprompt's.
 */
#ifndef ATPROMPT_CACHE_H
#define ATPROMPT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"

struct dircache;

/*
 * The cache of work tree WORKDIR lives outside it and outside every
 * directory of KEEP_OUT (NULL-terminated: the git directory and the
 * common one); where $XDG_CACHE_HOME or $HOME would put it inside one,
 * there is none.
 *
 * The key: a hash of every tracked path (scan_result.paths_sig) and one
 * of the ignore rules' files (cache_ignore_sig).  Returns NULL when
 * there is no cache, or it is for another key, another repository, or
 * damaged: all of these are simply a cache miss.
 */
struct dircache	*cache_load(const char *workdir,
		    const char *const *keep_out, uint64_t paths_sig,
		    uint64_t ignore_sig, size_t ndirs);
void		 cache_free(struct dircache *c);

/* A scan_cache_fn: answers for directory d when its mtime matches. */
int		 cache_lookup(const void *c, size_t d,
		    const struct scan_dir *sd, size_t *untracked);

/*
 * Write the cache for this scan, atomically, if it says anything new.
 * keep[d] is 1 for a directory whose count can be trusted next time.
 */
void		 cache_save(const char *workdir,
		    const char *const *keep_out, uint64_t paths_sig,
		    uint64_t ignore_sig, const struct scan_result *r,
		    const unsigned char *keep, const struct dircache *old);

/* Fold the identity of one file (path, and its stat data or its
   absence) into an ignore-rules hash started at HASH_START. */
uint64_t	 cache_file_sig(uint64_t h, const char *path);

#endif
