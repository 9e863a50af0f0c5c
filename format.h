/*
 * format.h: the format language the prompt is drawn from, and the
 * emitter that makes its output safe for each shell.
 *
 * A format is text with %-directives:
 *
 *	%X		an item, expanded by the caller's callback
 *	%[ ... %]	a group, dropped whole when no item inside it
 *			expanded to anything
 *	%F{colour}	foreground colour: a name (black red green yellow
 *			blue magenta cyan white), a number 0-255, or "user"
 *			(green, or bold red in a root shell)
 *	%B		bold
 *	%f		back to the terminal's default attributes
 *	%%		a literal %
 */
#ifndef ATPROMPT_FORMAT_H
#define ATPROMPT_FORMAT_H

#include <stddef.h>

#include "util.h"

enum shell {
	SHELL_TERMINAL,         /* raw escapes, for a person at a terminal */
	SHELL_BASH,
	SHELL_ZSH,
	SHELL_FISH,
	SHELL_PLAIN
};

struct out {
	struct buf	 b;
	enum shell	 shell;
	int		 in_var;	/* bash: text goes in a variable that
					   PS1 references, not into PS1 */
	int		 root;		/* colour "user" means root */
};

/* Append text from the repository or the system, made visible and
   escaped so that the shell shows it literally. */
void	out_text(struct out *o, const char *s, size_t n);
void	out_str(struct out *o, const char *s);

/* Append a sequence that prints nothing, marked for the shell. */
void	out_seq(struct out *o, const char *seq);

/* Append s with every control character and invalid byte made
   visible, and nothing escaped for a shell. */
void	visible_text(struct buf *b, const char *s, size_t n);

/*
 * Expand fmt into o.  item writes item c into o and returns 1 when it
 * wrote something visible.  Returns -1 with *cause set when fmt is
 * malformed.
 */
int	format_expand(struct out *o, const char *fmt,
	    int (*item)(struct out *, char, void *), void *arg,
	    const char **cause);

#endif
