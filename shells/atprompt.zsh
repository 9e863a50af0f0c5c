# atprompt for zsh.  Source this file from ~/.zshrc, or add
#	eval "$(atprompt init zsh)"
#
# With PROMPT_SUBST set, PROMPT only references _atprompt_ps1 and zsh
# never expands what the variable holds; without it PROMPT gets the text
# itself, which zsh then reads for % escapes only (atprompt doubles every
# % it prints).  Either way no name from a repository runs as code.

if [[ -z ${_atprompt_bin-} ]]; then
	_atprompt_bin=atprompt
	() {
		local here=${${(%):-%x}:A:h}
		if [[ -x $here/../../bin/atprompt ]]; then
			_atprompt_bin=$here/../../bin/atprompt
		elif [[ -x $here/../atprompt ]]; then
			_atprompt_bin=$here/../atprompt
		fi
	}
fi

zmodload zsh/datetime 2>/dev/null

_atprompt_preexec() {
	typeset -g _atprompt_t0=${EPOCHREALTIME-}
}

_atprompt_precmd() {
	local _atprompt_status=$? _atprompt_ms=0
	if [[ -n ${_atprompt_t0-} && -n ${EPOCHREALTIME-} ]]; then
		_atprompt_ms=$(( int((EPOCHREALTIME - _atprompt_t0) * 1000) ))
	fi
	typeset -g _atprompt_t0=
	typeset -g _atprompt_ps1
	_atprompt_ps1=$("$_atprompt_bin" --shell zsh \
	    --status "$_atprompt_status" --jobs "${(%):-%j}" \
	    --duration "$_atprompt_ms" 2>/dev/null) || _atprompt_ps1='> '
	if [[ -o prompt_subst ]]; then
		PROMPT='${_atprompt_ps1}'
	else
		PROMPT=$_atprompt_ps1
	fi
	return $_atprompt_status
}

# Run first, so that the status it reads is the user's command's.
typeset -ga precmd_functions preexec_functions
precmd_functions=(_atprompt_precmd ${precmd_functions:#_atprompt_precmd})
preexec_functions=(${preexec_functions:#_atprompt_preexec} _atprompt_preexec)
