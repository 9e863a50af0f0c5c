# atprompt for fish.  Source this file from ~/.config/fish/config.fish,
# or add
#	atprompt init fish | source
#
# fish prints what fish_prompt writes without expanding it.  The prompt
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

function fish_prompt
	set -l _atprompt_status $status
	set -l _atprompt_ms 0
	set -q CMD_DURATION; and set _atprompt_ms $CMD_DURATION
	$_atprompt_bin --shell fish --status $_atprompt_status \
	    --jobs (count (jobs -p)) --duration $_atprompt_ms 2>/dev/null
	or printf '> '
end

function _atprompt_restore
	functions -e fish_prompt
	if functions -q _atprompt_saved_fish_prompt
		functions -c _atprompt_saved_fish_prompt fish_prompt
		functions -e _atprompt_saved_fish_prompt
	end
end
