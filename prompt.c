/*
 * prompt.c: atprompt's entry point, options and rendering.
 *
 * atprompt prints a shell prompt that shows the state of the git
 * repository around the current directory:
 *
 *	user@host:~/s/p/dir (branch|REBASE 2/5) @ @ @ ? > 
 *
 * The markers are a red @ for untracked files, a green @ for staged
 * changes and a blue @ for unstaged ones; ? says the scan could not
 * finish.  The whole prompt is built in one buffer and written with a
 * single write(2), so a shell never sees half a prompt.
 *
 * Terminal sequences come from terminfo (term.c): setaf, bold, sgr0.
 * Shell markers come from format.c: \001 \002 for bash, %{ %} for zsh.
 */
#define _GNU_SOURCE

#include <sys/time.h>
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "git_status.h"
#include "path.h"
#include "shims.h"
#include "term.h"
#include "util.h"

#define ATPROMPT_VERSION "0.1.0"
#define DEFAULT_BUDGET_MS 200

/*
 * The default look.  Items: %v virtualenv, %u user, %h host, %w short
 * path, %b branch or detached HEAD, %o operation in progress, %m
 * markers, %e exit status, %d duration, %j background jobs.
 */
#define DEFAULT_FORMAT							\
	"%[(%v) %]%F{user}%u@%h%f:%F{cyan}%w%f"				\
	"%[ (%F{magenta}%b%f%[|%F{yellow}%o%f%])%]"			\
	"%[ %m%]%[ %F{red}[%e]%f%]%[ %F{yellow}%d%f%]%[ %F{cyan}&%j%f%] > "

enum mode {
	MODE_PROMPT,
	MODE_JSON,
	MODE_EXPLAIN
};

static struct options {
	enum mode	 mode;
	enum shell	 shell;
	int		 in_var;
	const char	*dir;
	const char	*format;
	int		 format_from_env;
	long		 budget_ms;
	long		 status;
	long		 jobs;
	long		 duration_ms;
} opt;

/* Everything an item may show, gathered before rendering starts. */
struct facts {
	struct repo_state	 repo;
	char			*user;
	char			*host;
	char			*dir;
	char			*home;
	const char		*venv;
	int			 root;
	int			 colour;
	int			 partial;	/* drawing the watchdog's
						   fallback: markers unknown */
	long			 render_usec;
	long			 start_usec;
};

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	struct buf	b = { 0 };
	va_list		ap;
	int		n;
	char		tmp[512];

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		tmp[0] = '\0';
	buf_printf(&b, "atprompt: %s\n", tmp);
	(void)!write(STDERR_FILENO, b.data, b.len);
	buf_free(&b);
	exit(2);
}

static void
usage(void)
{
	static const char text[] =
	    "usage: atprompt [-C dir] [--shell bash|zsh|fish|plain] "
	    "[--json | --explain]\n"
	    "                [--status n] [--jobs n] [--duration ms] "
	    "[--timeout ms]\n"
	    "                [--format fmt]\n"
	    "       atprompt init bash|zsh|fish\n"
	    "       atprompt --version | --help\n";

	fputs(text, stdout);
}

static long
parse_number(const char *name, const char *s, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > max)
		usage_error("%s takes a whole number from 0 to %ld, not '%s'",
		    name, max, s);
	return v;
}

/* A bad value in the environment must not cost the user a prompt. */
static long
env_number(const char *s, long def)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 ||
	    v > 3600000)
		return def;
	return v;
}

/* The exit status may be negative in no shell, but may exceed 255. */
static long
parse_status(const char *s)
{
	return parse_number("--status", s, INT_MAX);
}

static enum shell
parse_shell(const char *s)
{
	if (strcmp(s, "bash") == 0)
		return SHELL_BASH;
	if (strcmp(s, "zsh") == 0)
		return SHELL_ZSH;
	if (strcmp(s, "fish") == 0)
		return SHELL_FISH;
	if (strcmp(s, "plain") == 0)
		return SHELL_PLAIN;
	usage_error("unknown shell '%s' (bash, zsh, fish or plain)", s);
}

/* A single-quoted word that bash, zsh and fish all read back as s. */
static void
shell_quote(struct buf *b, const char *s, enum shell sh)
{
	buf_addch(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_addstr(b, sh == SHELL_FISH ? "\\'" : "'\\''");
		else if (*s == '\\' && sh == SHELL_FISH)
			buf_addstr(b, "\\\\");
		else
			buf_addch(b, *s);
	}
	buf_addch(b, '\'');
}

static int
write_all(const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(STDOUT_FILENO, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Print the shim, preceded by where this binary lives. */
static int
run_init(int argc, char **argv)
{
	struct buf	 b = { 0 };
	const char	*shim;
	char		 self[PATH_MAX];
	ssize_t		 n;
	enum shell	 sh;

	if (argc != 2)
		usage_error("init takes one shell: bash, zsh or fish");
	if (strcmp(argv[1], "bash") != 0 && strcmp(argv[1], "zsh") != 0 &&
	    strcmp(argv[1], "fish") != 0)
		usage_error("unknown shell '%s' (bash, zsh or fish)", argv[1]);
	sh = parse_shell(argv[1]);
	switch (sh) {
	case SHELL_BASH:
		shim = shim_bash;
		break;
	case SHELL_ZSH:
		shim = shim_zsh;
		break;
	case SHELL_FISH:
		shim = shim_fish;
		break;
	default:
		usage_error("unknown shell '%s' (bash, zsh or fish)", argv[1]);
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		buf_addstr(&b, sh == SHELL_FISH ? "set -g _atprompt_bin " :
		    "_atprompt_bin=");
		shell_quote(&b, self, sh);
		buf_addch(&b, '\n');
	}
	buf_addstr(&b, shim);
	n = write_all(b.data, b.len);
	buf_free(&b);
	return n == -1 ? 1 : 0;
}

static void
parse_options(int argc, char **argv)
{
	enum { O_SHELL = 256, O_JSON, O_EXPLAIN, O_STATUS, O_JOBS,
	    O_DURATION, O_TIMEOUT, O_FORMAT, O_IN_VAR, O_VERSION, O_HELP };
	static const struct option longopts[] = {
		{ "shell", required_argument, NULL, O_SHELL },
		{ "json", no_argument, NULL, O_JSON },
		{ "explain", no_argument, NULL, O_EXPLAIN },
		{ "status", required_argument, NULL, O_STATUS },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "in-var", no_argument, NULL, O_IN_VAR },
		{ "version", no_argument, NULL, O_VERSION },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	const char	*env;
	enum mode	 mode;
	int		 c;

	opt.budget_ms = DEFAULT_BUDGET_MS;
	if ((env = getenv("ATPROMPT_TIMEOUT")) != NULL)
		opt.budget_ms = env_number(env, DEFAULT_BUDGET_MS);
	if ((env = getenv("ATPROMPT_FORMAT")) != NULL && *env != '\0') {
		opt.format = env;
		opt.format_from_env = 1;
	}

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			opt.dir = optarg;
			break;
		case O_SHELL:
			opt.shell = parse_shell(optarg);
			break;
		case O_JSON:
		case O_EXPLAIN:
			mode = c == O_JSON ? MODE_JSON : MODE_EXPLAIN;
			if (opt.mode != MODE_PROMPT && opt.mode != mode)
				usage_error("--json and --explain cannot be "
				    "used together");
			opt.mode = mode;
			break;
		case O_STATUS:
			opt.status = parse_status(optarg);
			break;
		case O_JOBS:
			opt.jobs = parse_number("--jobs", optarg, INT_MAX);
			break;
		case O_DURATION:
			opt.duration_ms = parse_number("--duration", optarg,
			    LONG_MAX);
			break;
		case O_TIMEOUT:
			opt.budget_ms = parse_number("--timeout", optarg,
			    3600000);
			break;
		case O_FORMAT:
			opt.format = optarg;
			opt.format_from_env = 0;
			break;
		case O_IN_VAR:
			opt.in_var = 1;
			break;
		case O_VERSION:
			printf("atprompt %s (%s)\n", ATPROMPT_VERSION,
			    repo_library());
			exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
		case 'h':
		case O_HELP:
			usage();
			exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
		case ':':
			usage_error("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

static void
gather(struct facts *f)
{
	struct passwd	*pw;
	const char	*env;
	char		 host[256], num[32];
	uid_t		 uid = geteuid();

	f->root = uid == 0;
	if ((pw = getpwuid(uid)) != NULL && pw->pw_name[0] != '\0')
		f->user = xstrdup(pw->pw_name);
	else if ((env = getenv("USER")) != NULL && *env != '\0')
		f->user = xstrdup(env);
	else {
		snprintf(num, sizeof num, "%ld", (long)uid);
		f->user = xstrdup(num);
	}
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	f->host = xstrdup(host);
	if ((env = getenv("HOME")) != NULL && env[0] == '/')
		f->home = xstrdup(env);
	f->dir = path_current();
	if ((env = getenv("VIRTUAL_ENV")) != NULL && *env != '\0') {
		f->venv = strrchr(env, '/');
		f->venv = f->venv != NULL && f->venv[1] != '\0' ?
		    f->venv + 1 : env;
	}
}

static void
facts_free(struct facts *f)
{
	repo_state_free(&f->repo);
	free(f->user);
	free(f->host);
	free(f->dir);
	free(f->home);
}

/* What stands in the parentheses: the branch, tag or short id. */
static void
head_label(struct buf *b, const struct repo_state *st)
{
	if (st->op_branch != NULL)
		buf_addstr(b, st->op_branch);
	else if (st->branch != NULL)
		buf_addstr(b, st->branch);
	else if (st->tag != NULL)
		buf_addstr(b, st->tag);
	else if (st->head[0] != '\0')
		buf_add(b, st->head, 7);
}

static void
op_label(struct buf *b, const struct repo_state *st)
{
	if (st->op == OP_NONE)
		return;
	buf_addstr(b, repo_op_label(st->op));
	if (st->step > 0 && st->total > 0)
		buf_printf(b, " %d/%d", st->step, st->total);
}

static void
duration_label(struct buf *b, long ms)
{
	long	s = ms / 1000;

	if (ms < 2000)
		return;
	if (s < 60)
		buf_printf(b, "%lds", s);
	else if (s < 3600)
		buf_printf(b, "%ldm%02lds", s / 60, s % 60);
	else
		buf_printf(b, "%ldh%02ldm", s / 3600, s / 60 % 60);
}

static int
add_marker(struct out *o, int shown, int colour, const char *text)
{
	if (shown)
		buf_addch(&o->b, ' ');
	out_seq(o, term_colour(colour));
	out_str(o, text);
	out_seq(o, term_reset());
	return 1;
}

static int
markers(struct out *o, const struct facts *f)
{
	const struct repo_state	*st = &f->repo;
	int			 shown = 0;

	if (f->partial)
		return add_marker(o, 0, 3, "?");
	if (!st->repo)
		return 0;
	if (st->untracked > 0)
		shown = add_marker(o, shown, 1, "@");
	if (st->staged > 0)
		shown = add_marker(o, shown, 2, "@");
	if (st->unstaged > 0)
		shown = add_marker(o, shown, 4, "@");
	if (!st->complete)
		shown = add_marker(o, shown, 3, "?");
	return shown;
}

/* Expand one item of the format; see DEFAULT_FORMAT. */
static int
item(struct out *o, char c, void *arg)
{
	struct facts		*f = arg;
	const struct repo_state	*st = &f->repo;
	struct buf		 b = { 0 };
	size_t			 before = o->b.len;

	switch (c) {
	case 'u':
		buf_addstr(&b, f->user);
		break;
	case 'h':
		buf_addstr(&b, f->host);
		break;
	case 'w':
		if (f->dir != NULL)
			path_short(&b, f->dir, f->home);
		break;
	case 'b':
		head_label(&b, st);
		break;
	case 'o':
		op_label(&b, st);
		break;
	case 'm':
		return markers(o, f);
	case 'e':
		if (opt.status != 0)
			buf_printf(&b, "%ld", opt.status);
		break;
	case 'd':
		duration_label(&b, opt.duration_ms);
		break;
	case 'j':
		if (opt.jobs > 0)
			buf_printf(&b, "%ld", opt.jobs);
		break;
	case 'v':
		if (f->venv != NULL)
			buf_addstr(&b, f->venv);
		break;
	default:
		return -1;
	}
	if (b.len > 0)
		out_text(o, b.data, b.len);
	buf_free(&b);
	return o->b.len > before;
}

/* Render into o; a bad format from the environment falls back. */
static int
render(struct out *o, struct facts *f, const char **cause)
{
	const char      *fmt = opt.format != NULL ? opt.format : DEFAULT_FORMAT;

	o->root = f->root;
	if (format_expand(o, fmt, item, f, cause) == 0)
		return 0;
	if (!opt.format_from_env)
		return -1;
	buf_free(&o->b);
	return format_expand(o, DEFAULT_FORMAT, item, f, cause);
}

static void
json_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i = 0;
	int			 len;

	if (s == NULL) {
		buf_addstr(b, "null");
		return;
	}
	n = strlen(s);
	buf_addch(b, '"');
	while (i < n) {
		len = utf8_seq_len(p + i, n - i);
		if (len == 0) {
			buf_addstr(b, "\\ufffd");
			i++;
			continue;
		}
		if (p[i] == '"' || p[i] == '\\')
			buf_printf(b, "\\%c", p[i]);
		else if (p[i] == '\n')
			buf_addstr(b, "\\n");
		else if (p[i] == '\t')
			buf_addstr(b, "\\t");
		else if (p[i] < 0x20 || p[i] == 0x7f)
			buf_printf(b, "\\u%04x", p[i]);
		else if (len == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)
			/* C1 controls, such as U+009B, a terminal's CSI. */
			buf_printf(b, "\\u%04x", p[i + 1]);
		else
			buf_add(b, p + i, (size_t)len);
		i += (size_t)len;
	}
	buf_addch(b, '"');
}

static void
json_field(struct buf *b, const char *key, const char *value)
{
	buf_printf(b, "%s\"%s\": ", b->len > 1 ? ", " : "", key);
	json_string(b, value);
}

static void
json_num(struct buf *b, const char *key, long v)
{
	buf_printf(b, "%s\"%s\": %ld", b->len > 1 ? ", " : "", key, v);
}

static void
json_bool(struct buf *b, const char *key, int v)
{
	buf_printf(b, "%s\"%s\": %s", b->len > 1 ? ", " : "", key,
	    v ? "true" : "false");
}

static void
json_int_or_null(struct buf *b, const char *key, int v)
{
	if (v > 0)
		json_num(b, key, v);
	else
		buf_printf(b, ", \"%s\": null", key);
}

static void
render_json(struct buf *b, const struct repo_state *st)
{
	int	r = st->repo;

	buf_addch(b, '{');
	json_bool(b, "repo", r);
	json_field(b, "workdir", st->workdir);
	json_field(b, "gitdir", st->gitdir);
	json_bool(b, "bare", st->bare);
	json_field(b, "branch", st->branch);
	json_field(b, "head", st->head[0] != '\0' ? st->head : NULL);
	json_bool(b, "detached", st->detached);
	json_bool(b, "unborn", st->unborn);
	json_field(b, "tag", st->tag);
	json_field(b, "upstream", st->upstream);
	json_num(b, "ahead", (long)st->ahead);
	json_num(b, "behind", (long)st->behind);
	json_field(b, "state", r ? repo_op_name(st->op) : NULL);
	json_int_or_null(b, "step", st->step);
	json_int_or_null(b, "total", st->total);
	json_num(b, "staged", (long)st->staged);
	json_num(b, "unstaged", (long)st->unstaged);
	json_num(b, "untracked", (long)st->untracked);
	json_num(b, "conflicted", (long)st->conflicted);
	json_num(b, "stashes", (long)st->stashes);
	json_bool(b, "complete", r && st->complete);
	json_field(b, "error", st->error);
	buf_addstr(b, "}\n");
}

static void
explain_line(struct buf *b, const char *part, const char *value,
    const char *source)
{
	size_t	start;

	buf_printf(b, "%-10s ", part);
	start = b->len;
	visible_text(b, value, strlen(value));
	if (source != NULL && *source != '\0') {
		buf_printf(b, "%*s", (int)(b->len - start < 30 ?
		    30 - (b->len - start) : 1), "");
		/* The source holds names too: the directory, an error
		   about a path, TERM. */
		visible_text(b, source, strlen(source));
	}
	buf_addch(b, '\n');
}

static void
explain_repo(struct buf *b, const struct repo_state *st)
{
	struct buf	v = { 0 }, s = { 0 };

	explain_line(b, "repository", st->gitdir != NULL ? st->gitdir : "?",
	    st->bare ? "bare; libgit2 discovery" : "libgit2 discovery");
	if (st->workdir != NULL)
		explain_line(b, "worktree", st->workdir, st->in_gitdir ?
		    "not scanned: the current directory is in the git dir" :
		    "");
	head_label(&v, st);
	if (st->unborn)
		buf_addstr(&s, "HEAD names a branch with no commit yet");
	else if (st->detached)
		buf_printf(&s, "detached HEAD%s", st->tag != NULL ?
		    ", tag at HEAD" : ", short object id");
	else
		buf_addstr(&s, "HEAD");
	if (st->op_branch != NULL)
		buf_addstr(&s, "; the branch being rebased");
	explain_line(b, "branch", v.len ? v.data : "-", s.data);
	explain_line(b, "head", st->head[0] ? st->head : "-", "");
	explain_line(b, "tag", st->tag != NULL ? st->tag : "-",
	    "refs/tags pointing at HEAD");
	buf_reset(&v);
	buf_reset(&s);
	if (st->upstream != NULL)
		buf_printf(&v, "%s +%zu -%zu", st->upstream, st->ahead,
		    st->behind);
	explain_line(b, "upstream", v.len ? v.data : "-",
	    "branch.<name>.remote and .merge");
	buf_reset(&v);
	op_label(&v, st);
	buf_printf(&s, "state %s", repo_op_name(st->op));
	explain_line(b, "operation", v.len ? v.data : "-", s.data);
	buf_free(&v);
	buf_free(&s);
}

static void
explain_counts(struct buf *b, const struct repo_state *st)
{
	static const char *what[] = {
		"untracked", "staged", "unstaged", "conflicted", "stashes"
	};
	const size_t	 n[] = {
		st->untracked, st->staged, st->unstaged, st->conflicted,
		st->stashes
	};
	const char	*marker[] = {
		"red @", "green @", "blue @", "", ""
	};
	struct buf	 v = { 0 }, s = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof n / sizeof n[0]; i++) {
		buf_reset(&v);
		buf_reset(&s);
		buf_printf(&v, "%s%zu", st->early && i < 3 && n[i] ? ">= " : "",
		    n[i]);
		if (*marker[i] != '\0')
			buf_printf(&s, "%s %s", marker[i],
			    n[i] ? "shown" : "not shown");
		explain_line(b, what[i], v.data, s.data);
	}
	buf_reset(&v);
	buf_reset(&s);
	if (st->scanner != NULL && strcmp(st->scanner, "atprompt") == 0) {
		buf_printf(&v, "%zu entries, %zu directories", st->entries,
		    st->dirs);
		buf_printf(&s, "%zu thread%s; %zu listed, %zu from the "
		    "cache%s; %zu hashed", st->threads, st->threads == 1 ?
		    "" : "s", st->dirs_listed, st->dirs_cached,
		    st->cache_used ? "" : " (none)", st->hashed);
		explain_line(b, "scan", v.data, s.data);
	} else if (st->scanner != NULL) {
		buf_printf(&v, "%zu entries", st->entries);
		explain_line(b, "scan", v.data,
		    "libgit2 diff: the index could not be read directly");
	}
	buf_reset(&v);
	if (!st->complete)
		buf_printf(&v, "no: %s", st->error != NULL ? st->error : "?");
	else if (st->early)
		buf_addstr(&v, "stopped once every marker was known");
	else
		buf_addstr(&v, "yes");
	explain_line(b, "complete", v.data, st->complete ? "" : "? shown");
	buf_free(&v);
	buf_free(&s);
}

static void
render_explain(struct buf *b, struct facts *f, const char *prompt)
{
	const struct repo_state	*st = &f->repo;
	struct buf		 v = { 0 };
	int			 i;

	buf_printf(b, "atprompt %s, %s\n", ATPROMPT_VERSION, repo_library());
	/* The prompt itself goes out as drawn, colours and all. */
	buf_printf(b, "%-10s %s\n", "prompt", prompt);
	explain_line(b, "user", f->user, f->root ? "effective uid, root" :
	    "effective uid");
	explain_line(b, "host", f->host, "gethostname, up to the first dot");
	if (f->dir != NULL)
		path_short(&v, f->dir, f->home);
	explain_line(b, "path", v.len ? v.data : "?",
	    f->dir != NULL ? f->dir : "no current directory");
	if (!st->repo)
		explain_line(b, "repository", "-", st->error == NULL ?
		    "none found from here up" : st->error);
	else {
		explain_repo(b, st);
		explain_counts(b, st);
	}
	buf_reset(&v);
	buf_printf(&v, "TERM=%s, %d colours%s", term_name(), term_colours(),
	    getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0' ?
	    ", NO_COLOR set" : "");
	explain_line(b, "colour", f->colour ? "yes" : "no", v.data);
	buf_addstr(b, "timings   ");
	for (i = 0; i < STEP_MAX; i++) {
		buf_printf(b, " %s %.2f ms,", repo_step_name(i),
		    st->usec[i] / 1000.0);
	}
	buf_printf(b, " render %.2f ms; total %.2f ms\n",
	    f->render_usec / 1000.0, (now_usec() - f->start_usec) / 1000.0);
	buf_free(&v);
}

/*
 * The watchdog.  Whatever libgit2 or the file system does (a FIFO where
 * a file should be, a history to walk, a huge file to hash), the shell
 * gets a prompt within the time budget plus WATCHDOG_MARGIN_MS: a timer
 * fires, and its handler writes the last prompt drawn from what was
 * known (with ?) and exits.  Two buffers, so that the handler never
 * reads one being rewritten.
 */
#define WATCHDOG_MARGIN_MS	15
#define FALLBACK_MAX		8192

static struct {
	char		buf[2][FALLBACK_MAX];
	size_t		len[2];
	atomic_int	cur;		/* -1: nothing to print yet */
} fallback = { .cur = -1 };

static void
watchdog_fire(int sig)
{
	int	c = atomic_load(&fallback.cur);

	(void)sig;
	if (c >= 0)
		(void)!write(STDOUT_FILENO, fallback.buf[c], fallback.len[c]);
	_exit(0);
}

static void
fallback_update(void *arg)
{
	static char	 why[] = "stopped at the time limit";
	struct facts	*f = arg;
	struct repo_state copy;
	struct out	 o = { 0 };
	struct buf	 b = { 0 };
	const char	*cause;
	int		 next = atomic_load(&fallback.cur) == 0 ? 1 : 0;

	if (opt.mode == MODE_JSON) {
		copy = f->repo;
		copy.complete = 0;
		copy.error = why;
		render_json(&b, &copy);
	} else if (opt.mode == MODE_EXPLAIN)
		buf_printf(&b, "atprompt: %s of %ld ms\n", why, opt.budget_ms);
	else {
		o.shell = opt.shell;
		o.in_var = opt.in_var;
		f->partial = 1;
		if (render(&o, f, &cause) == 0 && o.b.len > 0)
			buf_add(&b, o.b.data, o.b.len);
		f->partial = 0;
		buf_free(&o.b);
	}
	if (b.len > 0 && b.len <= FALLBACK_MAX) {
		memcpy(fallback.buf[next], b.data, b.len);
		fallback.len[next] = b.len;
		atomic_store(&fallback.cur, next);
	}
	buf_free(&b);
}

static void
watchdog_start(struct facts *f)
{
	struct sigaction	sa;
	struct itimerval	it = { 0 };
	long			ms = opt.budget_ms + WATCHDOG_MARGIN_MS;

	if (opt.budget_ms == 0)
		return;
	fallback_update(f);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = watchdog_fire;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = ms % 1000 * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
watchdog_stop(void)
{
	struct itimerval	it = { 0 };

	if (opt.budget_ms != 0)
		setitimer(ITIMER_REAL, &it, NULL);
}

static void
no_checkpoint(void *arg)
{
	(void)arg;
}

int
main(int argc, char **argv)
{
	struct facts		 f = { 0 };
	struct out		 o = { 0 };
	struct buf		 out = { 0 };
	struct repo_request	 rq = { 0 };
	const char	*cause = NULL;
	long		 t;
	int		 rc = 0;

	f.start_usec = now_usec();
	if (argc > 1 && strcmp(argv[1], "init") == 0)
		return run_init(argc - 1, argv + 1);
	parse_options(argc, argv);
	if (opt.dir != NULL && chdir(opt.dir) == -1)
		usage_error("cannot change to '%s': %s", opt.dir,
		    strerror(errno));
	if (opt.dir != NULL)
		unsetenv("PWD");

	gather(&f);
	if (opt.mode != MODE_JSON) {
		f.colour = term_init();
		/* A bad format is the user's error, found before any work. */
		if (render(&o, &f, &cause) == -1) {
			term_free();
			facts_free(&f);
			buf_free(&o.b);
			usage_error("bad format: %s", cause);
		}
		buf_free(&o.b);
	}
	rq.mode = opt.mode == MODE_JSON ? SCAN_COUNTS : SCAN_MARKERS;
	rq.details = opt.mode != MODE_PROMPT;
	rq.budget_ms = opt.budget_ms;
	rq.checkpoint = opt.budget_ms != 0 ? fallback_update : no_checkpoint;
	rq.arg = &f;
	watchdog_start(&f);
	if (f.dir != NULL)
		repo_state_read(&f.repo, &rq);

	if (opt.mode == MODE_JSON) {
		watchdog_stop();
		render_json(&out, &f.repo);
		goto write;
	}
	o.shell = opt.mode == MODE_EXPLAIN ? SHELL_PLAIN : opt.shell;
	o.in_var = opt.in_var;
	t = now_usec();
	(void)render(&o, &f, &cause);
	watchdog_stop();
	f.render_usec = now_usec() - t;
	if (opt.mode == MODE_EXPLAIN)
		render_explain(&out, &f, o.b.data != NULL ? o.b.data : "");
	else
		buf_add(&out, o.b.data != NULL ? o.b.data : "", o.b.len);
	term_free();
write:
	if (write_all(out.data, out.len) == -1)
		rc = 1;
	buf_free(&out);
	buf_free(&o.b);
	facts_free(&f);
	return rc;
}
