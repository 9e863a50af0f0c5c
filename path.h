/*
 * path.h: the directory part of the prompt.
 */
#ifndef ATPROMPT_PATH_H
#define ATPROMPT_PATH_H

#include "util.h"

/*
 * Append the short form of the absolute path dir to b: home becomes ~,
 * and every directory but the last is cut to its first character,
 * keeping a leading dot (~/.c/nvim).  home may be NULL.
 */
void	path_short(struct buf *b, const char *dir, const char *home);

/* The directory to show: $PWD when it names the current directory,
   else getcwd(3).  Returns NULL when neither can be had. */
char	*path_current(void);

#endif
