/*
 * format.c: expand prompt formats and escape their output per shell.
 *
 * Nothing read from a repository or the system reaches the output
 * unchanged.  Control characters, C1 controls, bidirectional overrides
 * and bytes that are not UTF-8 are made visible first (^[, \u009b,
 * \xff), so no name can move the cursor, set a title or ring the bell.
 * The visible text is then escaped for the shell that will read it:
 *
 *	bash	\ $ and ` quoted for PS1's backslash decoding followed by
 *		its expansion (promptvars, bash's default); sequences
 *		between \001 and \002, which readline leaves out of the
 *		width
 *	zsh	% doubled; sequences between %{ and %}
 *	fish, plain, terminal
 *		text as it is; sequences bare
 *
 * A bash shim that stores the prompt in a variable referenced from PS1
 * asks for in_var: PS1's decoding never sees the variable's value, so
 * only the \001 \002 marking is wanted.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "term.h"

#define GROUP_DEPTH 16

static const char *colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

/* Code points that reorder or hide text: shown as \uXXXX. */
static int
is_format_control(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	    cp == 0x061c;
}

static unsigned int
utf8_decode(const unsigned char *s, int len)
{
	unsigned int	cp;
	int		i;

	if (len == 1)
		return s[0];
	cp = s[0] & (0xff >> (len + 1));
	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

void
visible_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;
	unsigned int		 cp;
	int			 len;

	while (i < n) {
		len = utf8_seq_len(p + i, n - i);
		if (len == 0) {
			buf_printf(b, "\\x%02x", p[i]);
			i++;
			continue;
		}
		cp = utf8_decode(p + i, len);
		if (cp < 0x20 || cp == 0x7f)
			buf_printf(b, "^%c", cp == 0x7f ? '?' : (int)cp + 64);
		else if (is_format_control(cp))
			buf_printf(b, "\\u%04x", cp);
		else
			buf_add(b, p + i, (size_t)len);
		i += (size_t)len;
	}
}

static void
escape_for_shell(struct out *o, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		switch (o->shell) {
		case SHELL_BASH:
			if (o->in_var)
				break;
			if (s[i] == '\\') {
				buf_addstr(&o->b, "\\\\\\\\");
				continue;
			}
			if (s[i] == '$' || s[i] == '`') {
				buf_addstr(&o->b, "\\\\");
				break;
			}
			break;
		case SHELL_ZSH:
			if (s[i] == '%')
				buf_addch(&o->b, '%');
			break;
		default:
			break;
		}
		buf_addch(&o->b, s[i]);
	}
}

void
out_text(struct out *o, const char *s, size_t n)
{
	struct buf	v = { 0 };

	visible_text(&v, s, n);
	if (v.len > 0)
		escape_for_shell(o, v.data, v.len);
	buf_free(&v);
}

void
out_str(struct out *o, const char *s)
{
	out_text(o, s, strlen(s));
}

void
out_seq(struct out *o, const char *seq)
{
	if (*seq == '\0')
		return;
	switch (o->shell) {
	case SHELL_BASH:
		buf_addch(&o->b, '\001');
		buf_addstr(&o->b, seq);
		buf_addch(&o->b, '\002');
		break;
	case SHELL_ZSH:
		buf_addstr(&o->b, "%{");
		escape_for_shell(o, seq, strlen(seq));
		buf_addstr(&o->b, "%}");
		break;
	default:
		buf_addstr(&o->b, seq);
		break;
	}
}

static int
parse_colour(const char *name, size_t n, int root, int *bold)
{
	size_t	i;
	char	*end;
	long	v;
	char	tmp[8];

	*bold = 0;
	if (n == 4 && strncmp(name, "user", 4) == 0) {
		*bold = root;
		return root ? 1 : 2;
	}
	for (i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++)
		if (strlen(colour_names[i]) == n &&
		    strncmp(colour_names[i], name, n) == 0)
			return (int)i;
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, name, n);
	tmp[n] = '\0';
	v = strtol(tmp, &end, 10);
	if (*end != '\0' || v < 0 || v > 255)
		return -1;
	return (int)v;
}

/*
 * A group remembers where it started and whether any item inside it
 * produced text, so an empty group can be cut back out of the buffer.
 */
struct group {
	size_t	start;
	int	filled;
};

int
format_expand(struct out *o, const char *fmt,
    int (*item)(struct out *, char, void *), void *arg, const char **cause)
{
	struct group	 groups[GROUP_DEPTH];
	const char	*p, *end;
	int		 depth = 0, colour, bold, shown;

	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			end = p + strcspn(p, "%");
			escape_for_shell(o, p, (size_t)(end - p));
			p = end - 1;
			continue;
		}
		switch (*++p) {
		case '%':
			escape_for_shell(o, "%", 1);
			break;
		case '[':
			if (depth == GROUP_DEPTH) {
				*cause = "groups nested too deep";
				return -1;
			}
			groups[depth].start = o->b.len;
			groups[depth].filled = 0;
			depth++;
			break;
		case ']':
			if (depth == 0) {
				*cause = "'%]' without '%['";
				return -1;
			}
			depth--;
			if (!groups[depth].filled) {
				o->b.len = groups[depth].start;
				if (o->b.data != NULL)
					o->b.data[o->b.len] = '\0';
			} else if (depth > 0)
				groups[depth - 1].filled = 1;
			break;
		case 'F':
			if (p[1] != '{' || (end = strchr(p, '}')) == NULL ||
			    (colour = parse_colour(p + 2,
			    (size_t)(end - p - 2), o->root, &bold)) == -1) {
				*cause = "bad colour in '%F{...}'";
				return -1;
			}
			if (bold)
				out_seq(o, term_bold());
			out_seq(o, term_colour(colour));
			p = end;
			break;
		case 'B':
			out_seq(o, term_bold());
			break;
		case 'f':
			out_seq(o, term_reset());
			break;
		case '\0':
			*cause = "format ends in '%'";
			return -1;
		default:
			shown = item(o, *p, arg);
			if (shown == -1) {
				*cause = "unknown '%' directive";
				return -1;
			}
			if (shown && depth > 0)
				groups[depth - 1].filled = 1;
			break;
		}
	}
	if (depth != 0) {
		*cause = "'%[' without '%]'";
		return -1;
	}
	return 0;
}
