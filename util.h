/*
 * util.h: the append buffer every piece of output is built in, checked
 * allocation and the monotonic clock.
 */
#ifndef ATPROMPT_UTIL_H
#define ATPROMPT_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_add(struct buf *b, const void *p, size_t n);
void	 buf_addstr(struct buf *b, const char *s);
void	 buf_addch(struct buf *b, char c);
void	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *b);
void	 buf_free(struct buf *b);

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

long	 now_usec(void);
int	 bytes_cmp(const char *a, size_t alen, const char *b, size_t blen);
char	 ascii_lower(char c);
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);
#define HASH_START	0xcbf29ce484222325ULL
int	 utf8_seq_len(const unsigned char *s, size_t n);

#endif
