/*
 * index.h: a read-only reader of git's index file, $GIT_DIR/index, with
 * versions 2 to 4, the split index, the sparse index and the root of
 * the cache tree, for repositories with SHA-1 or SHA-256 object names.
 *
 * Loading keeps one pointer per entry into the mapped file and decodes
 * nothing else: on a 300k-entry index, a decoded array would be 20 MB
 * of fresh memory, and faulting that in costs several times what the
 * parse does.  index_get decodes one entry when it is wanted.
 */
#ifndef ATPROMPT_INDEX_H
#define ATPROMPT_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* index_entry.flags */
#define INDEX_ASSUME_VALID      0x01    /* update-index --assume-unchanged */
#define INDEX_SKIP_WORKTREE	0x02	/* outside the sparse checkout */
#define INDEX_INTENT_TO_ADD	0x04	/* add -N */
#define INDEX_SPARSE_DIR        0x08    /* a whole directory, path ends '/' */

/*
 * One entry, as git stores it: the stat fields are the file's 32-bit
 * values (size truncated to 32 bits, as git does).  The path and the
 * object name point into the index's storage and live as long as it.
 */
struct index_entry {
	const char              *path;  /* NUL-terminated, "dir/" if sparse */
	size_t			 path_len;
	const unsigned char	*oid;	/* index.hash_size bytes */
	uint32_t		 ctime_sec, ctime_nsec;
	uint32_t		 mtime_sec, mtime_nsec;
	uint32_t		 dev, ino, mode, uid, gid, size;
	unsigned int		 stage;	/* 0, or 1-3 in a conflict */
	unsigned int		 flags;	/* INDEX_* */
};

struct index_block;
struct index_tree;

struct index {
	size_t                   nr;            /* entries, by path, stage */
	uint32_t		 version;	/* 2, 3 or 4; 0 if no file */
	size_t                   hash_size;     /* 20, or 32 for sha256 */

	/* The index file's own mtime, for the racy-git check. */
	int64_t			 mtime_sec;
	long			 mtime_nsec;

	int			 has_cache_tree;	/* TREE present */
	int			 cache_tree_root_valid;
	unsigned char            cache_tree_root[32];   /* root tree oid */

	int                      split;         /* link extension, merged */
	int			 sparse;	/* sdir extension present */
	int			 has_untracked_cache;	/* UNTR */
	int			 has_fsmonitor;		/* FSMN */
	/* The last index_read failed on a damaged file, which no other
	   reader could read either. */
	int			 damaged;

	/*
	 * Private.  Each entry's record in a mapped file, and its path
	 * where that is not in the record (v4, split index; else NULL).
	 */
	const unsigned char	**rec;
	const char		**path;
	void			*map, *shared_map;
	size_t			 map_len, shared_len;
	struct index_block	*blocks;	/* decoded v4 paths */
	const unsigned char	*tree_ext;	/* the TREE extension */
	size_t			 tree_len;
	struct index_tree       *trees;         /* parsed by index_trees */
	size_t			 ntrees;
	char			 cause[128];
};

/*
 * Read the index at PATH, or GITDIR/index when PATH is NULL (and
 * GITDIR/sharedindex.<hex> for a split index); the object format
 * comes from the repository's config.  A missing index reads as an
 * empty one.  0 on success; -1 with *cause set to a
 * short lowercase reason, valid until ix is read again, and ix left
 * empty.  Nothing is written and the trailing checksum is not verified.
 */
int	index_read(struct index *ix, const char *gitdir, const char *path,
	    const char **cause);
void	index_free(struct index *ix);

/* Decode entry I (below ix->nr) into E. */
void	index_get(const struct index *ix, size_t i, struct index_entry *e);

/*
 * Set *POS to where PATH (LEN bytes) at stage 0 is or would be, and
 * return 1 if an entry there has exactly that path, at any stage.  The
 * entries under a directory run from the position of "dir/" on.
 */
int	index_find(const struct index *ix, const char *path, size_t len,
	    size_t *pos);

/*
 * Parse the whole cache tree, once; -1 when it is missing or damaged.
 * Then index_tree_id finds the tree id the cache tree records for
 * directory DIR ("src/lib/", "" for the top), and returns 1 if the
 * node is valid: every entry below DIR then matches that tree.
 */
int	index_trees(struct index *ix);
int	index_tree_id(const struct index *ix, const char *dir, size_t len,
	    const unsigned char **oid);

#endif
