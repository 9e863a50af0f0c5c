# atprompt for bash.  Source this file from ~/.bashrc, or add
#	eval "$(atprompt init bash)"
#
# The prompt text is kept in _atprompt_ps1 and PS1 only references it:
# bash expands PS1 once, and never expands what a variable holds, so no
# branch or path that atprompt prints is ever run as code.
#
# The hook runs first in PROMPT_COMMAND, so it reads the status of the
# user's command.  The hooks after it still see that status in $?, and
# PIPESTATUS too.  Bash gives both back to each entry of a PROMPT_COMMAND
# array, and to the command line once PROMPT_COMMAND is done, but not
# from one line of a PROMPT_COMMAND string to the next; no command can
# set PIPESTATUS, so in a string the entry ends with a pipeline of
# subshells that exit with the saved statuses.  Nothing here may fail
# under set -e, where a failing PROMPT_COMMAND ends the shell: a status
# other than 0 is given back only on the left of "&&".

if [[ -z ${_atprompt_bin-} ]]; then
	_atprompt_bin=atprompt
	_atprompt_here=${BASH_SOURCE[0]%/*}
	if [[ -x $_atprompt_here/../../bin/atprompt ]]; then
		_atprompt_bin=$_atprompt_here/../../bin/atprompt
	elif [[ -x $_atprompt_here/../atprompt ]]; then
		_atprompt_bin=$_atprompt_here/../atprompt
	fi
	unset _atprompt_here
fi

# \j in a prompt string is the number of jobs; ${x@P} expands it
# without starting a process.
_atprompt_jobs_escape='\j'

# PS0 is expanded as a command starts; the array subscript is arithmetic,
# so it records the start time and expands to nothing.  Without
# promptvars PS0 would print it as it is, so it is taken out then.
_atprompt_ps0='${_atprompt_nul[_atprompt_t0=${EPOCHREALTIME/[.,]/},0]-}'

_atprompt_hook() {
	local _atprompt_st=$? _atprompt_pipe=("${PIPESTATUS[@]}")
	local _atprompt_ms=0 _atprompt_now _atprompt_jobs

	_atprompt_save "$_atprompt_st" "${_atprompt_pipe[@]}"
	if [[ -n ${_atprompt_t0-} && -n ${EPOCHREALTIME-} ]]; then
		_atprompt_now=${EPOCHREALTIME/[.,]/}
		_atprompt_ms=$(((_atprompt_now - _atprompt_t0) / 1000))
	fi
	_atprompt_t0=
	_atprompt_jobs=${_atprompt_jobs_escape@P}
	_atprompt_ps1=$("$_atprompt_bin" --shell bash --in-var \
	    --status "$_atprompt_st" --jobs "${_atprompt_jobs:-0}" \
	    --duration "$_atprompt_ms" 2>/dev/null) || _atprompt_ps1='> '
	# POSIX mode expands PS1 even without promptvars: the text must
	# then stay in the variable too.
	if shopt -q promptvars || [[ -o posix ]]; then
		PS1='${_atprompt_ps1}'
		if [[ ${PS0-} != *"$_atprompt_ps0"* ]]; then
			PS0=${PS0-}$_atprompt_ps0
		fi
	else
		# Without promptvars PS1 is decoded but not expanded: only
		# backslashes need doubling.
		PS1=${_atprompt_ps1//\\/\\\\}
		if [[ ${PS0-} == *"$_atprompt_ps0"* ]]; then
			PS0=${PS0//"$_atprompt_ps0"/}
		fi
	fi
	return 0
}

# _atprompt_save STATUS PIPESTATUS...: keep both for the hooks after
# this one.  When the statuses of a pipeline give STATUS, the entry
# rebuilds PIPESTATUS (see _atprompt_entry); otherwise it gives back
# STATUS alone.
_atprompt_save() {
	local n=$(($# - 1)) last=0 i
	_atprompt_ps=("$@")
	_atprompt_restore=
	if ((n < 2 || n > 8)); then
		return 0
	fi
	if [[ -o pipefail ]]; then
		for ((i = 1; i <= n; i++)); do
			((_atprompt_ps[i] == 0)) || last=${_atprompt_ps[i]}
		done
	else
		last=${_atprompt_ps[n]}
	fi
	if (($1 == last)); then
		_atprompt_restore=$n
	fi
	return 0
}

# _atprompt_status: return the saved $?.
_atprompt_status() {
	return "${_atprompt_ps[0]}"
}

# _atprompt_entry: the text of the PROMPT_COMMAND entry.  Its case 3
# runs a pipeline of three subshells that exit with the saved statuses,
# which leaves PIPESTATUS as the user's command did.  The empty
# "case x in esac" after "&&" changes nothing when it runs, and keeps a
# failing pipeline from ending a set -e shell or firing an ERR trap.
_atprompt_entry() {
	local n i e='_atprompt_hook&&:;case ${_atprompt_restore-} in'
	for ((n = 2; n <= 8; n++)); do
		e+=" $n)(exit \${_atprompt_ps[1]})"
		for ((i = 2; i <= n; i++)); do
			e+="|(exit \${_atprompt_ps[$i]})"
		done
		e+='&&case x in esac;;'
	done
	printf '%s' "$e *)_atprompt_status&&:;; esac"
}

# Put the entry first in PROMPT_COMMAND, as a string or an array as the
# user has it, in place of any entry an earlier sourcing left.  Bash
# gives $? and PIPESTATUS back before each entry of an array, so there
# the hook alone will do.
_atprompt_install() {
	local entry old one
	entry=$(_atprompt_entry)
	if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
		old=("${PROMPT_COMMAND[@]}")
		PROMPT_COMMAND=("_atprompt_hook&&:")
		for one in "${old[@]}"; do
			if [[ $one != _atprompt_hook* ]]; then
				PROMPT_COMMAND+=("$one")
			fi
		done
	else
		old=${PROMPT_COMMAND-}
		old=${old//"$entry"/}
		old=${old#$'\n'}
		PROMPT_COMMAND=$entry${old:+$'\n'$old}
	fi
}

_atprompt_install
unset -f _atprompt_install _atprompt_entry
