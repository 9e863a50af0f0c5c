/*
 * index.c: read git's index file without libgit2.
 *
 * libgit2 takes half a second to load a 300k-entry index, hashes the
 * whole file to check its trailer first, and in 1.5 refuses the split
 * and the sparse index outright.  A prompt only needs the entries, so
 * this maps the file once, walks it once to check every record and
 * note where it starts, and leaves the trailing checksum alone: git
 * verifies it each time it reads the index, and hashing 30 MB on every
 * Enter press would cost more than the rest of the prompt.  Every read
 * is bounds-checked instead, so a short or damaged file is an error
 * with a reason, never a crash.  Nothing here writes to the repository.
 *
 * The layout is the one gitformat-index(5) documents.  The split
 * index's bitmaps use EWAH run-length encoding: 64-bit big-endian
 * words, each run word holding the run's bit (bit 0), its length in
 * words (the next 32 bits) and how many literal words follow it (the
 * top 31 bits), literal bits counted from the least significant.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "index.h"
#include "util.h"

/* One node of the cache tree, by the directory it stands for. */
struct index_tree {
	char                    *dir;   /* "src/lib/", "" for the top */
	size_t			 len;
	const unsigned char	*oid;	/* NULL when invalidated */
};

/* The on-disk flags word of an entry and its extension. */
#define DISK_ASSUME_VALID	0x8000
#define DISK_EXTENDED		0x4000
#define DISK_NAME_MASK		0x0fff
#define DISK_SKIP_WORKTREE	0x4000
#define DISK_INTENT_TO_ADD	0x2000

/* What the split index's bitmaps say about one shared entry. */
#define MARK_DELETE		0x01
#define MARK_REPLACE		0x02

#define S_MODE_DIR		0040000
#define S_MODE_TYPE		0170000

/* Decoded v4 paths live in blocks that never move once handed out. */
struct index_block {
	struct index_block	*next;
	size_t			 used, size;
	char			 data[];
};

/* One mapped index file, and where its entries and extensions lie. */
struct ixfile {
	const unsigned char	*entries;	/* first entry */
	const unsigned char     *end;           /* start of the checksum */
	uint32_t		 version;
	uint32_t		 nr;
};

/* The cursor over a file's entries. */
struct reader {
	const unsigned char	*p, *end;
	uint32_t		 version;
	size_t			 hash_size;
	struct index            *ix;            /* owns the path blocks */
	size_t                   block_hint;    /* first block's size */
	const char		*prev;		/* v4: previous path */
	size_t			 prev_len;
};

static const char truncated[] = "index truncated";
static const char corrupt[] = "corrupt index entry";

static uint16_t
be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Set ix->cause from a format and point *cause at it. */
static int
fail(struct index *ix, const char **cause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct index *ix, const char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ix->cause, sizeof ix->cause, fmt, ap);
	va_end(ap);
	*cause = ix->cause;
	return -1;
}

/* As fail, for a file that is damaged rather than of a kind not read
   here: nothing else could read it either. */
static int
broken(struct index *ix, const char **cause, const char *what)
{
	ix->damaged = 1;
	return fail(ix, cause, "%s", what);
}

/*
 * Map PATH read-only into *MAP.  -1 with errno set on failure (ENOENT
 * for a missing file); an empty file maps to NULL with length 0.
 */
static int
map_file(const char *path, void **map, size_t *len, struct stat *st)
{
	int	fd, saved;

	/* O_NONBLOCK: a FIFO put where the index should be must not
	   block the open; it is refused just below. */
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC |
	    O_NONBLOCK)) == -1)
		return -1;
	if (fstat(fd, st) == -1)
		goto fail;
	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uintmax_t)st->st_size > SIZE_MAX / 2) {
		errno = EFBIG;
		goto fail;
	}
	*len = (size_t)st->st_size;
	*map = NULL;
	if (*len > 0 && (*map = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd,
	    0)) == MAP_FAILED)
		goto fail;
	close(fd);
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Check the header of a mapped index and find its entries. */
static int
parse_header(struct index *ix, struct ixfile *f, const unsigned char *map,
    size_t len, const char **cause)
{
	size_t	min_entry;

	if (len >= 4 && memcmp(map, "DIRC", 4) != 0)
		return broken(ix, cause, "not an index file");
	if (len < 12 + ix->hash_size)
		return broken(ix, cause, truncated);
	f->version = be32(map + 4);
	if (f->version < 2 || f->version > 4)
		return fail(ix, cause, "unsupported index version %u",
		    (unsigned int)f->version);
	f->nr = be32(map + 8);
	f->entries = map + 12;
	f->end = map + len - ix->hash_size;

	/* Refuse a count the file cannot hold before allocating for it. */
	if (f->version == 4)
		min_entry = 40 + ix->hash_size + 2 + 2;
	else
		min_entry = (40 + ix->hash_size + 2 + 8) & ~(size_t)7;
	if (f->nr > (size_t)(f->end - f->entries) / min_entry)
		return broken(ix, cause, truncated);
	return 0;
}

/* N bytes for a decoded path, from the newest block or a new one. */
static char *
block_alloc(struct reader *r, size_t n)
{
	struct index_block	*b = r->ix->blocks;
	size_t			 size;

	if (b == NULL || b->size - b->used < n) {
		size = b == NULL ? r->block_hint : b->size * 2;
		if (size < n)
			size = n;
		b = xmalloc(sizeof *b + size);
		b->next = r->ix->blocks;
		b->used = 0;
		b->size = size;
		r->ix->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

/* Where the path starts in a record (v2 and v3). */
static size_t
name_offset(const unsigned char *rec, size_t hash_size)
{
	return 40 + hash_size + 2 +
	    (be16(rec + 40 + hash_size) & DISK_EXTENDED ? 2 : 0);
}

/*
 * The path of the entry at REC whose path, if not in the record, is
 * PATH; its length into *LEN.  The flags hold the length unless it is
 * too long for them, or the name was left out of a split index.
 */
static const char *
rec_path(size_t hash_size, const unsigned char *rec, const char *path,
    size_t *len)
{
	if (path == NULL)
		path = (const char *)rec + name_offset(rec, hash_size);
	*len = be16(rec + 40 + hash_size) & DISK_NAME_MASK;
	if (*len == DISK_NAME_MASK || *len == 0)
		*len = strlen(path);
	return path;
}

static unsigned int
rec_stage(size_t hash_size, const unsigned char *rec)
{
	return (be16(rec + 40 + hash_size) >> 12) & 3;
}

/*
 * Decode a v4 path at P: a count of bytes to drop from the end of the
 * previous path, then the NUL-terminated bytes to put in their place.
 */
static int
read_v4_path(struct reader *r, const unsigned char *p, size_t disk_len,
    const char **out, const char **cause)
{
	const unsigned char	*nul;
	size_t			 drop, keep, add;
	char			*path;

	if (p >= r->end)
		return broken(r->ix, cause, truncated);
	drop = *p & 0x7f;
	while (*p++ & 0x80) {
		if (p >= r->end)
			return broken(r->ix, cause, truncated);
		/* Each byte only grows the count: stop before it overflows. */
		if (drop > r->prev_len)
			return broken(r->ix, cause, corrupt);
		drop = ((drop + 1) << 7) | (*p & 0x7f);
	}
	if (drop > r->prev_len)
		return broken(r->ix, cause, corrupt);
	if ((nul = memchr(p, '\0', (size_t)(r->end - p))) == NULL)
		return broken(r->ix, cause, truncated);
	keep = r->prev_len - drop;
	add = (size_t)(nul - p);
	if (disk_len != DISK_NAME_MASK && disk_len != keep + add)
		return broken(r->ix, cause, corrupt);
	path = block_alloc(r, keep + add + 1);
	memcpy(path, r->prev, keep);
	memcpy(path + keep, p, add);
	path[keep + add] = '\0';
	*out = r->prev = path;
	r->prev_len = keep + add;
	r->p = nul + 1;
	return 0;
}

/*
 * Check the record at the reader's cursor and step past it; *PATH gets
 * its path (in the record, or decoded for v4).
 */
static int
read_record(struct reader *r, const char **path, const char **cause)
{
	const unsigned char	*p = r->p, *name, *nul;
	size_t			 avail, len, size;
	unsigned int		 flags;

	avail = (size_t)(r->end - p);
	if (avail < 40 + r->hash_size + 2)
		return broken(r->ix, cause, truncated);
	flags = be16(p + 40 + r->hash_size);
	name = p + 40 + r->hash_size + 2;
	if (flags & DISK_EXTENDED) {
		if (r->version < 3)
			return broken(r->ix, cause, corrupt);
		if (avail < (size_t)(name - p) + 2)
			return broken(r->ix, cause, truncated);
		if (be16(name) & ~(DISK_SKIP_WORKTREE | DISK_INTENT_TO_ADD))
			return broken(r->ix, cause, corrupt);
		name += 2;
	}
	len = flags & DISK_NAME_MASK;
	if (r->version == 4)
		return read_v4_path(r, name, len, path, cause);

	avail = (size_t)(r->end - name);
	if (len == DISK_NAME_MASK) {
		if ((nul = memchr(name, '\0', avail)) == NULL)
			return broken(r->ix, cause, truncated);
		len = (size_t)(nul - name);
	} else if (avail <= len)
		return broken(r->ix, cause, truncated);
	else if (name[len] != '\0')
		return broken(r->ix, cause, corrupt);
	/* Padded with 1 to 8 NULs to a multiple of 8 bytes. */
	size = ((size_t)(name - p) + len + 8) & ~(size_t)7;
	if (size > (size_t)(r->end - p))
		return broken(r->ix, cause, truncated);
	*path = (const char *)name;
	r->p = p + size;
	return 0;
}

static void
reader_init(struct reader *r, struct index *ix, const struct ixfile *f)
{
	memset(r, 0, sizeof *r);
	r->p = f->entries;
	r->end = f->end;
	r->version = f->version;
	r->hash_size = ix->hash_size;
	r->ix = ix;
	r->prev = "";
	/* v4 paths come out about as long as the file: one block, mostly. */
	r->block_hint = (size_t)(f->end - f->entries) + 4096;
}

/*
 * Read the file's records into REC, and their paths into PATH when
 * that is not NULL; *AFTER is where the extensions start.
 */
static int
read_entries(struct index *ix, const struct ixfile *f,
    const unsigned char **rec, const char **path,
    const unsigned char **after, const char **cause)
{
	struct reader	 r;
	const char	*name;
	size_t		 i;

	reader_init(&r, ix, f);
	for (i = 0; i < f->nr; i++) {
		rec[i] = r.p;
		if (read_record(&r, &name, cause) == -1)
			return -1;
		if (path != NULL)
			path[i] = name;
	}
	*after = r.p;
	return 0;
}

/* A decimal number, signed, ending in TERM, from *P up to END. */
static int
tree_number(const unsigned char **p, const unsigned char *end, int term,
    long *out)
{
	const unsigned char	*q = *p;
	long			 n = 0;
	int			 neg = 0, digits = 0;

	if (q < end && *q == '-') {
		neg = 1;
		q++;
	}
	while (q < end && *q >= '0' && *q <= '9') {
		if (++digits > 9)
			return -1;
		n = n * 10 + (*q++ - '0');
	}
	if (digits == 0 || q >= end || *q != term)
		return -1;
	*out = neg ? -n : n;
	*p = q + 1;
	return 0;
}

/*
 * The cache tree's root node: an empty name, the count of entries it
 * covers (negative when invalidated), its subtree count, then its tree
 * oid unless invalid.  The subtrees are not needed here.
 */
static int
read_tree_root(struct index *ix, const unsigned char *p, size_t size,
    const char **cause)
{
	const unsigned char	*end = p + size;
	long			 count, subtrees;

	ix->has_cache_tree = 1;
	ix->tree_ext = p;
	ix->tree_len = size;
	if (size == 0)
		return 0;
	if (*p++ != '\0' || tree_number(&p, end, ' ', &count) == -1 ||
	    tree_number(&p, end, '\n', &subtrees) == -1 || subtrees < 0)
		return broken(ix, cause, "corrupt cache tree");
	if (count < 0)
		return 0;
	if ((size_t)(end - p) < ix->hash_size)
		return broken(ix, cause, "corrupt cache tree");
	memcpy(ix->cache_tree_root, p, ix->hash_size);
	ix->cache_tree_root_valid = 1;
	return 0;
}

/*
 * Walk the extensions from P to END, noting those the prompt cares
 * about; *LINK and *LINK_LEN receive the split index's link, if any,
 * and LINK is NULL while reading the shared index.  Those whose
 * signature starts with an uppercase letter are optional; any other
 * unknown one changes the meaning of the entries and stops the read,
 * as it stops git.
 */
static int
read_extensions(struct index *ix, const unsigned char *p,
    const unsigned char *end, const unsigned char **link, size_t *link_len,
    const char **cause)
{
	const unsigned char	*sig;
	size_t			 size;
	int			 i;

	while (p != end) {
		if ((size_t)(end - p) < 8)
			return broken(ix, cause, truncated);
		sig = p;
		size = be32(p + 4);
		p += 8;
		if (size > (size_t)(end - p))
			return broken(ix, cause, truncated);
		if (memcmp(sig, "TREE", 4) == 0) {
			if (link != NULL &&
			    read_tree_root(ix, p, size, cause) == -1)
				return -1;
		} else if (memcmp(sig, "link", 4) == 0) {
			if (link == NULL)
				return broken(ix, cause,
				    "shared index is itself split");
			*link = p;
			*link_len = size;
		} else if (memcmp(sig, "sdir", 4) == 0)
			ix->sparse = 1;
		else if (memcmp(sig, "UNTR", 4) == 0)
			ix->has_untracked_cache = 1;
		else if (memcmp(sig, "FSMN", 4) == 0)
			ix->has_fsmonitor = 1;
		else if (sig[0] < 'A' || sig[0] > 'Z') {
			for (i = 0; i < 4; i++)
				if (sig[i] < 'a' || sig[i] > 'z')
					return broken(ix, cause,
					    "corrupt index extension");
			return fail(ix, cause,
			    "unsupported index extension '%.4s'",
			    (const char *)sig);
		}
		p += size;
	}
	return 0;
}

/* Saturating add, so that a run past the end cannot wrap around. */
static uint64_t
bit_advance(uint64_t pos, uint64_t n, uint64_t limit)
{
	return pos >= limit || n > limit - pos ? limit + 1 : pos + n;
}

/*
 * Decode the EWAH bitmap at *P (up to END) and set BIT in MARKS for
 * each of its set bits, counting them in *COUNT.  A set bit at or past
 * LIMIT, the shared index's length, means a corrupt link.
 */
static int
ewah_mark(const unsigned char **p, const unsigned char *end, uint8_t *marks,
    uint64_t limit, uint8_t bit, size_t *count)
{
	const unsigned char	*w;
	uint64_t		 pos = 0, word, run, literals, i, j;
	size_t			 nwords;

	if ((size_t)(end - *p) < 8)
		return -1;
	nwords = be32(*p + 4);
	w = *p + 8;
	if (nwords > ((size_t)(end - w)) / 8 ||
	    (size_t)(end - w) - nwords * 8 < 4)
		return -1;
	for (i = 0; i < nwords; ) {
		word = be64(w + 8 * i++);
		run = (word >> 1) & 0xffffffff;
		literals = word >> 33;
		if ((word & 1) && run > 0) {
			if (pos >= limit || run > (limit - pos) / 64)
				return -1;
			for (j = 0; j < run * 64; j++)
				marks[pos + j] |= bit;
			*count += run * 64;
		}
		pos = bit_advance(pos, run * 64, limit);
		if (literals > nwords - i)
			return -1;
		for (; literals > 0; literals--) {
			for (word = be64(w + 8 * i++); word != 0;
			    word &= word - 1) {
				j = pos + (uint64_t)__builtin_ctzll(word);
				if (j >= limit)
					return -1;
				marks[j] |= bit;
				++*count;
			}
			pos = bit_advance(pos, 64, limit);
		}
	}
	/* Past the words, the position of the last run word: unused. */
	*p = w + nwords * 8 + 4;
	return 0;
}

/* Order of entries: path bytes, then length, then stage. */
static int
key_cmp(const char *a, size_t alen, unsigned int astage, const char *b,
    size_t blen, unsigned int bstage)
{
	int	c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return (int)astage - (int)bstage;
}

/* Compare the entries at (REC_A, PATH_A) and (REC_B, PATH_B). */
static int
entry_cmp(size_t hash_size, const unsigned char *rec_a, const char *path_a,
    const unsigned char *rec_b, const char *path_b)
{
	size_t	alen, blen;

	path_a = rec_path(hash_size, rec_a, path_a, &alen);
	path_b = rec_path(hash_size, rec_b, path_b, &blen);
	return key_cmp(path_a, alen, rec_stage(hash_size, rec_a), path_b,
	    blen, rec_stage(hash_size, rec_b));
}

/*
 * Merge the NADD sorted added entries into the NR sorted ones in
 * ix->rec and ix->path, which have room for both, from the back; an
 * added entry replaces a shared one with the same path and stage.
 */
static void
merge_added(struct index *ix, size_t nr, const unsigned char **add_rec,
    const char **add_path, size_t nadd)
{
	const unsigned char	**rec = ix->rec;
	const char		**path = ix->path;
	size_t			  i = nr, j = nadd, w = nr + nadd;
	int			  c;

	while (j > 0) {
		c = i == 0 ? -1 : entry_cmp(ix->hash_size, rec[i - 1],
		    path[i - 1], add_rec[j - 1], add_path[j - 1]);
		if (c > 0) {
			w--, i--;
			rec[w] = rec[i];
			path[w] = path[i];
			continue;
		}
		if (c == 0)
			i--;
		w--, j--;
		rec[w] = add_rec[j];
		path[w] = add_path[j];
	}
	if (w > i) {
		memmove(rec + i, rec + w, (nr + nadd - w) * sizeof *rec);
		memmove(path + i, path + w, (nr + nadd - w) * sizeof *path);
	}
	ix->nr = i + (nr + nadd - w);
}

/* Map GITDIR/sharedindex.<hex of OID> and check its header. */
static int
map_shared(struct index *ix, const char *gitdir, const unsigned char *oid,
    struct ixfile *f, const char **cause)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 name[12 + 2 * 32 + 1];
	struct buf		 path = { 0 };
	struct stat		 st;
	size_t			 i;
	int			 rc;

	memcpy(name, "sharedindex.", 12);
	for (i = 0; i < ix->hash_size; i++) {
		name[12 + 2 * i] = hex[oid[i] >> 4];
		name[12 + 2 * i + 1] = hex[oid[i] & 15];
	}
	name[12 + 2 * i] = '\0';
	buf_printf(&path, "%s/%s", gitdir, name);
	rc = map_file(path.data, &ix->shared_map, &ix->shared_len, &st);
	buf_free(&path);
	if (rc == -1 && errno == ENOENT)
		return fail(ix, cause, "shared index '%s' missing", name);
	if (rc == -1)
		return fail(ix, cause, "cannot read '%s': %s", name,
		    strerror(errno));
	return parse_header(ix, f, ix->shared_map, ix->shared_len, cause);
}

/*
 * Read the shared entries into ix->rec and ix->path, dropping those
 * the delete bitmap marks and putting the next of the replacements REP
 * in place of each one the replace bitmap marks; the shared index
 * keeps the path, which the replacement usually leaves empty.
 */
static int
read_shared(struct index *ix, const struct ixfile *f, const uint8_t *marks,
    const unsigned char **rep, const char **rep_path, const char **cause)
{
	struct reader		 r;
	const unsigned char	*rec;
	const char		*path, *theirs;
	size_t			 i, n = 0, len, their_len;

	reader_init(&r, ix, f);
	for (i = 0; i < f->nr; i++) {
		rec = r.p;
		if (read_record(&r, &path, cause) == -1)
			return -1;
		if (marks[i] & MARK_REPLACE) {
			theirs = rec_path(ix->hash_size, *rep, *rep_path,
			    &their_len);
			path = rec_path(ix->hash_size, rec, path, &len);
			if (their_len != 0 && (their_len != len ||
			    memcmp(theirs, path, len) != 0))
				return broken(ix, cause, "corrupt split index");
			rec = *rep++;
			rep_path++;
		}
		if (!(marks[i] & MARK_DELETE)) {
			ix->rec[n] = rec;
			ix->path[n++] = path;
		}
	}
	ix->nr = n;
	return read_extensions(ix, r.p, f->end, NULL, NULL, cause);
}

/*
 * Apply the link extension LINK to the NOWN records just read, OWN
 * (with their paths OWN_PATH): load the shared index it names, delete
 * and replace what its bitmaps mark, and merge in the entries left
 * over after the replacements.
 */
static int
merge_split(struct index *ix, const char *gitdir, const unsigned char *link,
    size_t link_len, const unsigned char **own, const char **own_path,
    size_t nown, const char **cause)
{
	const unsigned char	*p, *end = link + link_len;
	struct ixfile		 f;
	uint8_t			*marks = NULL;
	size_t			 ndel = 0, nrep = 0, n;

	ix->split = 1;
	if (link_len < ix->hash_size)
		return broken(ix, cause, "corrupt split index");
	p = link + ix->hash_size;
	if (map_shared(ix, gitdir, link, &f, cause) == -1)
		return -1;
	marks = xcalloc(f.nr, 1);
	if (p != end &&
	    (ewah_mark(&p, end, marks, f.nr, MARK_DELETE, &ndel) == -1 ||
	    ewah_mark(&p, end, marks, f.nr, MARK_REPLACE, &nrep) == -1 ||
	    p != end))
		goto corrupt;
	if (nrep > nown)
		goto corrupt;
	n = f.nr - ndel + nown - nrep;
	ix->rec = xmalloc(n * sizeof *ix->rec);
	ix->path = xmalloc(n * sizeof *ix->path);
	if (read_shared(ix, &f, marks, own, own_path, cause) == -1) {
		free(marks);
		return -1;
	}
	merge_added(ix, ix->nr, own + nrep, own_path + nrep, nown - nrep);
	free(marks);
	return 0;
corrupt:
	free(marks);
	return broken(ix, cause, "corrupt split index");
}

/* Whether the link extension names no shared index at all. */
static int
link_is_null(const struct index *ix, const unsigned char *link,
    size_t link_len)
{
	size_t	i;

	for (i = 0; i < ix->hash_size && i < link_len; i++)
		if (link[i] != 0)
			return 0;
	return i == ix->hash_size;
}

/* A config or commondir file larger than this is not one git wrote. */
#define SMALL_FILE_MAX	(1 << 20)

/*
 * Append the contents of the regular file at PATH to OUT; -1 if it is
 * unreadable, not a regular file (a FIFO would block, /dev/zero never
 * end) or larger than SMALL_FILE_MAX.
 */
static int
read_small_file(const char *path, struct buf *out)
{
	struct stat	st;
	char		chunk[4096];
	ssize_t		n = -1;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC |
	    O_NONBLOCK)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= SMALL_FILE_MAX)
		while ((n = read(fd, chunk, sizeof chunk)) > 0 ||
		    (n == -1 && errno == EINTR))
			if (n > 0 && out->len + (size_t)n <= SMALL_FILE_MAX)
				buf_add(out, chunk, (size_t)n);
	close(fd);
	return n == -1 ? -1 : 0;
}

/*
 * The value of extensions.objectFormat in the config text S, or NULL.
 * Only what that key needs of the syntax: sections, comments, quotes;
 * the last assignment wins, as in git.
 */
static char *
config_object_format(const char *s)
{
	const char	*k, *v, *q;
	char		*found = NULL;
	size_t		 n;
	int		 in_ext = 0;

	for (; *s != '\0'; s = *s == '\0' ? s : s + 1) {
		s += strspn(s, " \t\r");
		if (*s == '[') {
			if ((q = strchr(++s, ']')) == NULL)
				break;
			n = (size_t)(q - s);
			in_ext = n == 10 &&
			    strncasecmp(s, "extensions", n) == 0;
			s = q + 1 + strspn(q + 1, " \t\r");
		}
		k = s;
		s += strcspn(s, "\n");
		if (!in_ext || strncasecmp(k, "objectformat", 12) != 0)
			continue;
		v = k + 12 + strspn(k + 12, " \t");
		if (*v != '=')
			continue;
		v += 1 + strspn(v + 1, " \t\"");
		n = strcspn(v, "\"#; \t\r\n");
		free(found);
		found = xstrndup(v, n);
	}
	return found;
}

/*
 * Learn the hash size from the repository's config, which a linked
 * worktree keeps in the common directory named by GITDIR/commondir.
 */
static int
read_hash_size(struct index *ix, const char *gitdir, const char **cause)
{
	struct buf	 path = { 0 }, text = { 0 };
	char		*fmt;
	size_t		 n;
	int		 rc = 0;

	ix->hash_size = 20;
	buf_printf(&path, "%s/commondir", gitdir);
	if (read_small_file(path.data, &text) == 0 && text.len > 0) {
		n = strcspn(text.data, "\r\n");
		buf_reset(&path);
		if (text.data[0] != '/')
			buf_printf(&path, "%s/", gitdir);
		buf_add(&path, text.data, n);
		buf_addstr(&path, "/config");
	} else {
		buf_reset(&path);
		buf_printf(&path, "%s/config", gitdir);
	}
	buf_reset(&text);
	if (read_small_file(path.data, &text) == 0 && text.len > 0 &&
	    (fmt = config_object_format(text.data)) != NULL) {
		if (strcmp(fmt, "sha256") == 0)
			ix->hash_size = 32;
		else if (strcmp(fmt, "sha1") != 0)
			rc = fail(ix, cause,
			    "unsupported object format '%.40s'", fmt);
		free(fmt);
	}
	buf_free(&path);
	buf_free(&text);
	return rc;
}

/*
 * Read the records of the mapped index F, then apply its extensions:
 * for a split index the records read are only the changes, and the
 * entries come out of merging them with the shared index.
 */
static int
read_index(struct index *ix, const char *gitdir, const struct ixfile *f,
    const char **cause)
{
	const unsigned char	**own, *after, *link = NULL;
	const char		**own_path;
	size_t			  link_len = 0;
	int			  rc;

	own = xmalloc(f->nr * sizeof *own);
	/* v2 and v3 keep each path in its record: no table for them. */
	own_path = f->version == 4 ? xmalloc(f->nr * sizeof *own_path) : NULL;
	if (read_entries(ix, f, own, own_path, &after, cause) == -1 ||
	    read_extensions(ix, after, f->end, &link, &link_len,
	    cause) == -1)
		goto fail;
	if (link == NULL || link_is_null(ix, link, link_len)) {
		ix->split = link != NULL;
		ix->rec = own;
		ix->path = own_path;
		ix->nr = f->nr;
		return 0;
	}
	if (own_path == NULL) {
		own_path = xmalloc(f->nr * sizeof *own_path);
		memset(own_path, 0, f->nr * sizeof *own_path);
	}
	rc = merge_split(ix, gitdir, link, link_len, own, own_path, f->nr,
	    cause);
	free(own);
	free(own_path);
	return rc;
fail:
	free(own);
	free(own_path);
	return -1;
}

int
index_read(struct index *ix, const char *gitdir, const char *path,
    const char **cause)
{
	struct ixfile	f;
	struct stat	st;
	struct buf	own = { 0 };
	int		rc;

	memset(ix, 0, sizeof *ix);
	if (read_hash_size(ix, gitdir, cause) == -1)
		return -1;

	if (path == NULL) {
		buf_printf(&own, "%s/index", gitdir);
		path = own.data;
	}
	rc = map_file(path, &ix->map, &ix->map_len, &st);
	buf_free(&own);
	if (rc == -1 && errno == ENOENT)
		return 0;
	if (rc == -1)
		return fail(ix, cause, "cannot read index: %s",
		    errno == EINVAL ? "not a regular file" : strerror(errno));
	ix->mtime_sec = st.st_mtim.tv_sec;
	ix->mtime_nsec = st.st_mtim.tv_nsec;

	if (parse_header(ix, &f, ix->map, ix->map_len, cause) == -1 ||
	    read_index(ix, gitdir, &f, cause) == -1) {
		index_free(ix);
		return -1;
	}
	ix->version = f.version;
	return 0;
}

void
index_free(struct index *ix)
{
	struct index_block	*b;
	char			 cause[sizeof ix->cause];
	int			 damaged;

	free(ix->rec);
	free(ix->path);
	while (ix->ntrees > 0)
		free(ix->trees[--ix->ntrees].dir);
	free(ix->trees);
	if (ix->map != NULL)
		munmap(ix->map, ix->map_len);
	if (ix->shared_map != NULL)
		munmap(ix->shared_map, ix->shared_len);
	while ((b = ix->blocks) != NULL) {
		ix->blocks = b->next;
		free(b);
	}
	/* Empty again, but a failed read's reason must outlive this. */
	damaged = ix->damaged;
	memcpy(cause, ix->cause, sizeof cause);
	memset(ix, 0, sizeof *ix);
	memcpy(ix->cause, cause, sizeof cause);
	ix->damaged = damaged;
}

void
index_get(const struct index *ix, size_t i, struct index_entry *e)
{
	const unsigned char	*p = ix->rec[i];
	size_t			 hs = ix->hash_size;
	unsigned int		 flags, xflags = 0;

	e->ctime_sec = be32(p);
	e->ctime_nsec = be32(p + 4);
	e->mtime_sec = be32(p + 8);
	e->mtime_nsec = be32(p + 12);
	e->dev = be32(p + 16);
	e->ino = be32(p + 20);
	e->mode = be32(p + 24);
	e->uid = be32(p + 28);
	e->gid = be32(p + 32);
	e->size = be32(p + 36);
	e->oid = p + 40;
	flags = be16(p + 40 + hs);
	if (flags & DISK_EXTENDED)
		xflags = be16(p + 40 + hs + 2);
	e->stage = (flags >> 12) & 3;
	e->flags = (flags & DISK_ASSUME_VALID ? INDEX_ASSUME_VALID : 0) |
	    (xflags & DISK_SKIP_WORKTREE ? INDEX_SKIP_WORKTREE : 0) |
	    (xflags & DISK_INTENT_TO_ADD ? INDEX_INTENT_TO_ADD : 0);
	e->path = rec_path(hs, p, ix->path ? ix->path[i] : NULL,
	    &e->path_len);
	if ((e->mode & S_MODE_TYPE) == S_MODE_DIR && e->path_len > 0 &&
	    e->path[e->path_len - 1] == '/')
		e->flags |= INDEX_SPARSE_DIR;
}

int
index_find(const struct index *ix, const char *path, size_t len,
    size_t *pos)
{
	const char	*p;
	size_t		 lo = 0, hi = ix->nr, mid, n;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		p = rec_path(ix->hash_size, ix->rec[mid],
		    ix->path ? ix->path[mid] : NULL, &n);
		if (key_cmp(p, n, rec_stage(ix->hash_size, ix->rec[mid]),
		    path, len, 0) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	if (lo == ix->nr)
		return 0;
	p = rec_path(ix->hash_size, ix->rec[lo],
	    ix->path ? ix->path[lo] : NULL, &n);
	return n == len && memcmp(p, path, len) == 0;
}

static int
add_tree(struct index *ix, size_t *cap, const char *dir, size_t len,
    const unsigned char *oid)
{
	struct index_tree	*t;

	if (ix->ntrees == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		t = realloc(ix->trees, *cap * sizeof *t);
		if (t == NULL)
			return -1;
		ix->trees = t;
	}
	t = &ix->trees[ix->ntrees++];
	t->dir = xmalloc(len + 1);
	memcpy(t->dir, dir, len);
	t->dir[len] = '\0';
	t->len = len;
	t->oid = oid;
	return 0;
}

/*
 * Parse the node at *P, then its subtrees, depth first as git writes
 * them.  PREFIX holds the directory of the node's parent.
 */
static int
parse_tree_node(struct index *ix, const unsigned char **p,
    const unsigned char *end, struct buf *prefix, size_t *cap, int depth)
{
	const unsigned char	*name = *p, *oid = NULL;
	size_t			 nlen, keep = prefix->len;
	long			 count, subtrees, i;

	if (depth > 4096)
		return -1;
	while (*p < end && **p != '\0')
		(*p)++;
	if (*p >= end)
		return -1;
	nlen = (size_t)(*p - name);
	(*p)++;
	if (tree_number(p, end, ' ', &count) == -1 ||
	    tree_number(p, end, '\n', &subtrees) == -1 || subtrees < 0)
		return -1;
	if (count >= 0) {
		if ((size_t)(end - *p) < ix->hash_size)
			return -1;
		oid = *p;
		*p += ix->hash_size;
	}
	if (nlen > 0) {
		buf_add(prefix, name, nlen);
		buf_addch(prefix, '/');
	}
	if (add_tree(ix, cap, prefix->data != NULL ? prefix->data : "",
	    prefix->len, oid) == -1)
		return -1;
	for (i = 0; i < subtrees; i++)
		if (parse_tree_node(ix, p, end, prefix, cap, depth + 1) == -1)
			return -1;
	prefix->len = keep;
	return 0;
}

static int
tree_cmp(const void *a, const void *b)
{
	const struct index_tree	*x = a, *y = b;

	return strcmp(x->dir, y->dir);
}

int
index_trees(struct index *ix)
{
	const unsigned char	*p = ix->tree_ext;
	struct buf		 prefix = { 0 };
	size_t			 cap = 0;
	int			 r;

	if (ix->trees != NULL)
		return 0;
	if (p == NULL || ix->tree_len == 0)
		return -1;
	r = parse_tree_node(ix, &p, p + ix->tree_len, &prefix, &cap, 0);
	buf_free(&prefix);
	if (r == -1) {
		while (ix->ntrees > 0)
			free(ix->trees[--ix->ntrees].dir);
		free(ix->trees);
		ix->trees = NULL;
		return -1;
	}
	/* git orders subtrees by name length first: sort for searching. */
	qsort(ix->trees, ix->ntrees, sizeof *ix->trees, tree_cmp);
	return 0;
}

int
index_tree_id(const struct index *ix, const char *dir, size_t len,
    const unsigned char **oid)
{
	size_t	lo = 0, hi = ix->ntrees, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = bytes_cmp(ix->trees[mid].dir, ix->trees[mid].len, dir, len);
		if (c == 0) {
			*oid = ix->trees[mid].oid;
			return *oid != NULL;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
