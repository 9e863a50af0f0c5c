/*
 * term.c: the only file that talks to terminfo.
 *
 * setupterm is called with an error out-parameter so that ncurses never
 * prints or exits on its own, the strings it hands back are copied, and
 * the terminal entry is released at once.  Capabilities used: setaf
 * (through tiparm), bold, sgr0 and the colors number.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "term.h"
#include "util.h"

#define TERM_COLOURS 256

static struct {
	int	 ok;
	int	 colours;
	char	*name;
	char	*setaf;
	char	*bold;
	char	*reset;
	char	*cache[TERM_COLOURS];
} term;

static char *
copy_cap(const char *cap)
{
	char	*s = tigetstr(cap);

	if (s == NULL || s == (char *)-1)
		return NULL;
	return xstrdup(s);
}

/* tiparm needs the terminal entry, which is released right after. */
static void
fill_colours(void)
{
	const char	*s;
	int		 n;

	for (n = 0; n < TERM_COLOURS && n < term.colours; n++) {
		s = tiparm(term.setaf, n);
		term.cache[n] = xstrdup(s != NULL ? s : "");
	}
}

int
term_init(void)
{
	const char	*env = getenv("TERM"), *nc = getenv("NO_COLOR");
	TERMINAL	*t;
	int		 err;

	term.name = xstrdup(env != NULL ? env : "");
	if (nc != NULL && *nc != '\0')
		return 0;
	if (env == NULL || *env == '\0' || strcmp(env, "dumb") == 0)
		return 0;
	if (setupterm(env, STDERR_FILENO, &err) != OK)
		return 0;
	term.colours = tigetnum("colors");
	term.setaf = copy_cap("setaf");
	term.bold = copy_cap("bold");
	term.reset = copy_cap("sgr0");
	if (term.colours >= 8 && term.setaf != NULL && term.reset != NULL) {
		term.ok = 1;
		fill_colours();
	} else
		term.colours = 0;
	t = set_curterm(NULL);
	del_curterm(t);
	return term.ok;
}

void
term_free(void)
{
	int	i;

	for (i = 0; i < TERM_COLOURS; i++)
		free(term.cache[i]);
	free(term.name);
	free(term.setaf);
	free(term.bold);
	free(term.reset);
	memset(&term, 0, sizeof term);
}

const char *
term_colour(int n)
{
	if (!term.ok || n < 0 || n >= TERM_COLOURS || term.cache[n] == NULL)
		return "";
	return term.cache[n];
}

const char *
term_bold(void)
{
	return term.ok && term.bold != NULL ? term.bold : "";
}

const char *
term_reset(void)
{
	return term.ok ? term.reset : "";
}

int
term_colours(void)
{
	return term.colours;
}

const char *
term_name(void)
{
	return term.name != NULL ? term.name : "";
}
