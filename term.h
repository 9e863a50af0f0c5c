/*
 * term.h: colour sequences for the terminal named by TERM, from
 * terminfo.
 */
#ifndef ATPROMPT_TERM_H
#define ATPROMPT_TERM_H

/*
 * Look up the terminal once.  Returns 1 when colours can be used: TERM
 * names a terminal whose terminfo entry has setaf and sgr0 and at
 * least 8 colours, and NO_COLOR is unset or empty.
 */
int		 term_init(void);
void		 term_free(void);

/* The sequence to select colour n (0-255), bold, or to reset; "" when
   the terminal has none. */
const char	*term_colour(int n);
const char	*term_bold(void);
const char	*term_reset(void);
int		 term_colours(void);
const char	*term_name(void);

#endif
