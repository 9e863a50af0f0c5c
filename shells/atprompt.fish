# atprompt for fish.  Source this file from ~/.config/fish/config.fish,
# or add
#	atprompt init fish | source
#
# fish prints what fish_prompt writes without expanding it, and gives
# $status and $pipestatus back to the command line itself.  The prompt
# that was there before is kept as _atprompt_saved_fish_prompt; run
# _atprompt_restore to put it back.

if not set -q _atprompt_bin
	set -g _atprompt_bin atprompt
	set -l here (dirname (status filename))
	if test -x $here/../../bin/atprompt
		set -g _atprompt_bin $here/../../bin/atprompt
	else if test -x $here/../atprompt
		set -g _atprompt_bin $here/../atprompt
	end
end

if functions -q fish_prompt; and not functions -q _atprompt_saved_fish_prompt
	functions -c fish_prompt _atprompt_saved_fish_prompt
end

# CMD_DURATION is left as it was by an empty command line; the duration
# is shown only after a command ran.
function _atprompt_preexec --on-event fish_preexec
	set -g _atprompt_ran 1
end

function fish_prompt
	set -l _atprompt_status $status
	set -l _atprompt_ms 0
	if set -q _atprompt_ran[1]; and set -q CMD_DURATION[1]
		set _atprompt_ms $CMD_DURATION
	end
	set -e _atprompt_ran
	$_atprompt_bin --shell fish --status $_atprompt_status \
	    --jobs (count (jobs -g)) --duration $_atprompt_ms 2>/dev/null
	or printf '> '
end

function _atprompt_restore
	functions -e fish_prompt _atprompt_preexec
	if functions -q _atprompt_saved_fish_prompt
		functions -c _atprompt_saved_fish_prompt fish_prompt
		functions -e _atprompt_saved_fish_prompt
	end
end
