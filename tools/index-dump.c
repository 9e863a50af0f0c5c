/*
 * index-dump: print what index.c reads from a repository's index, in
 * the formats of git ls-files, so that tests/index.bats can compare the
 * two byte for byte; and damage an index file every way it can to show
 * that the reader fails cleanly.
 *
 *      index-dump [-dz] GITDIR         like git ls-files --stage [--debug] [-z]
 *      index-dump -i GITDIR            the index's own facts, one per line
 *	index-dump -f PATH GITDIR	PATH's entries, or where it would go
 *	index-dump -T FILE GITDIR	read with FILE cut at every length
 *	index-dump -X FILE GITDIR	read with each byte of FILE altered
 *
 * Exit status 1 with one line on stderr when the index cannot be read.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../index.h"
#include "../util.h"

static void
usage(void)
{
	fprintf(stderr, "usage: index-dump [-diz] [-f path] "
	    "[-T file | -X file] gitdir\n");
	exit(2);
}

static void
print_oid(const unsigned char *oid, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		printf("%02x", oid[i]);
}

/* The flags word git ls-files --debug shows, from what is on disk. */
static unsigned int
git_flags(const struct index_entry *e)
{
	unsigned int	f = (unsigned int)e->stage << 12;

	if (e->flags & INDEX_ASSUME_VALID)
		f |= 0x8000;
	if (e->flags & (INDEX_SKIP_WORKTREE | INDEX_INTENT_TO_ADD))
		f |= 0x4000;
	if (e->flags & INDEX_SKIP_WORKTREE)
		f |= 0x40000000;
	if (e->flags & INDEX_INTENT_TO_ADD)
		f |= 0x20000000;
	return f;
}

static void
print_entry(const struct index *ix, const struct index_entry *e, int debug,
    int term)
{
	printf("%06o ", (unsigned int)e->mode);
	print_oid(e->oid, ix->hash_size);
	printf(" %u\t", (unsigned int)e->stage);
	fwrite(e->path, 1, e->path_len, stdout);
	putchar(term);
	if (!debug)
		return;
	printf("  ctime: %u:%u\n", (unsigned int)e->ctime_sec,
	    (unsigned int)e->ctime_nsec);
	printf("  mtime: %u:%u\n", (unsigned int)e->mtime_sec,
	    (unsigned int)e->mtime_nsec);
	printf("  dev: %d\tino: %d\n", (int)e->dev, (int)e->ino);
	printf("  uid: %d\tgid: %d\n", (int)e->uid, (int)e->gid);
	printf("  size: %d\tflags: %x\n", (int)e->size, git_flags(e));
}

static void
print_info(const struct index *ix)
{
	struct index_entry	e;
	size_t			i, dirs = 0;

	for (i = 0; i < ix->nr; i++) {
		index_get(ix, i, &e);
		if (e.flags & INDEX_SPARSE_DIR)
			dirs++;
	}
	printf("version %u\n", (unsigned int)ix->version);
	printf("hash %s\n", ix->hash_size == 32 ? "sha256" : "sha1");
	printf("entries %zu\n", ix->nr);
	printf("cache-tree ");
	if (ix->cache_tree_root_valid)
		print_oid(ix->cache_tree_root, ix->hash_size);
	else
		printf("%s", ix->has_cache_tree ? "invalid" : "absent");
	printf("\nsplit %s\n", ix->split ? "yes" : "no");
	printf("sparse %s\n", ix->sparse ? "yes" : "no");
	printf("sparse-dirs %zu\n", dirs);
	printf("untracked-cache %s\n", ix->has_untracked_cache ? "yes" : "no");
	printf("fsmonitor %s\n", ix->has_fsmonitor ? "yes" : "no");
}

static int
write_file(const char *path, const void *p, size_t n)
{
	int	fd, rc = 0;

	if ((fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0644)) == -1)
		return -1;
	if (n > 0 && write(fd, p, n) != (ssize_t)n)
		rc = -1;
	return close(fd) == -1 ? -1 : rc;
}

/* Read the index once, counting a success or a failure. */
static void
try_read(const char *gitdir, size_t *ok, size_t *bad)
{
	struct index	 ix;
	const char	*cause;

	if (index_read(&ix, gitdir, NULL, &cause) == 0) {
		++*ok;
		index_free(&ix);
	} else
		++*bad;
}

/*
 * Rewrite FILE cut short at every length (TRUNCATE) or with each byte
 * altered three ways, read the index each time, and restore the file.
 * The sanitizers catch any bad access; the counts go to stdout.
 */
static int
damage(const char *file, const char *gitdir, int truncate)
{
	static const unsigned char	 masks[] = { 0x01, 0x80, 0xff };
	struct buf			 orig = { 0 };
	unsigned char			*copy;
	size_t				 i, m, ok = 0, bad = 0;
	char				 chunk[4096];
	ssize_t				 n;
	int				 fd;

	if ((fd = open(file, O_RDONLY)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&orig, chunk, (size_t)n);
	close(fd);
	copy = xmalloc(orig.len);
	for (i = 0; i < orig.len; i++) {
		if (truncate) {
			if (write_file(file, orig.data, i) == -1)
				return -1;
			try_read(gitdir, &ok, &bad);
			continue;
		}
		for (m = 0; m < sizeof masks; m++) {
			memcpy(copy, orig.data, orig.len);
			copy[i] ^= masks[m];
			if (write_file(file, copy, orig.len) == -1)
				return -1;
			try_read(gitdir, &ok, &bad);
		}
	}
	if (write_file(file, orig.data, orig.len) == -1)
		return -1;
	printf("rejected %zu accepted %zu\n", bad, ok);
	free(copy);
	buf_free(&orig);
	return 0;
}

int
main(int argc, char **argv)
{
	struct index		 ix;
	struct index_entry	 e;
	const char		*cause, *find = NULL, *file = NULL;
	size_t			 i;
	int			 c, debug = 0, info = 0, term = '\n';
	int			 truncate = 0;

	while ((c = getopt(argc, argv, "df:izT:X:")) != -1) {
		switch (c) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			find = optarg;
			break;
		case 'i':
			info = 1;
			break;
		case 'z':
			term = '\0';
			break;
		case 'T':
		case 'X':
			file = optarg;
			truncate = c == 'T';
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();

	if (file != NULL) {
		if (damage(file, argv[optind], truncate) == -1) {
			fprintf(stderr, "index-dump: %s: %s\n", file,
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	if (index_read(&ix, argv[optind], NULL, &cause) == -1) {
		fprintf(stderr, "index-dump: %s\n", cause);
		return 1;
	}
	if (info)
		print_info(&ix);
	else if (find != NULL) {
		/* Every stage of the path, or where it would go. */
		if (!index_find(&ix, find, strlen(find), &i))
			printf("absent before %zu\n", i);
		for (; i < ix.nr; i++) {
			index_get(&ix, i, &e);
			if (e.path_len != strlen(find) ||
			    memcmp(e.path, find, e.path_len) != 0)
				break;
			print_entry(&ix, &e, debug, term);
		}
	} else
		for (i = 0; i < ix.nr; i++) {
			index_get(&ix, i, &e);
			print_entry(&ix, &e, debug, term);
		}
	index_free(&ix);
	return 0;
}
