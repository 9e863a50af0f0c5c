# bench/ for correctness only: the stat floor visits what it claims to,
# and a quick run builds its trees, measures every competitor and finds
# atprompt agreeing with git.  Nothing here is ever timed: speed is
# shown by bench/run alone.

load helper

setup() {
	common_setup
	bench=$BATS_TEST_DIRNAME/../bench
	"$bench/make-repo.sh" 200 r >/dev/null
	bin=$("$bench/run" --tools --out "$BATS_TEST_TMPDIR/out")
}

# tracked DIR: how many distinct paths the index holds.
tracked() {
	git -C "$1" ls-files | sort -u | wc -l
}

# tracked_dirs DIR: how many directories hold them, the top included.
tracked_dirs() {
	git -C "$1" ls-files | awk '
	    { d = $0; if (!sub(/\/[^\/]*$/, "", d)) d = "."; seen[d] = 1 }
	    END { for (d in seen) n++; print n }'
}

@test "bench - stat floor - every tracked path once, 1 and 2 threads" {
	"$bench/make-repo.sh" --dirty r >/dev/null
	[[ $(tracked r) -eq 200 ]]
	for j in 1 2; do
		run "$bin/stat-floor" -C r -v -j "$j"
		assert_success
		assert_output "paths 200 dirs $(tracked_dirs r) missing 0"
	done
}

@test "bench - stat floor - index version 4 and ls-files agree" {
	local want
	want="paths 200 dirs $(tracked_dirs r) missing 0"
	git -C r update-index --index-version 4
	run "$bin/stat-floor" -C r -v -j 2
	assert_success
	assert_output "$want"
	run bash -c "git -C r ls-files -z | '$bin/stat-floor' -C r -z -v"
	assert_success
	assert_output "$want"
}

@test "bench - stat floor - intent to add, version 3" {
	echo new > r/added.txt
	git -C r add -N added.txt
	git -C r update-index --index-version 3
	run "$bin/stat-floor" -C r -v
	assert_success
	assert_output "paths 201 dirs $(tracked_dirs r) missing 0"
}

@test "bench - stat floor - conflict - each path once" {
	new_repo c
	git -C c switch -q -c side
	echo side > c/tracked.txt
	git -C c commit -q -am side
	git -C c switch -q main
	echo main > c/tracked.txt
	git -C c commit -q -am main
	run git -C c merge -q side
	assert_failure
	[[ $(git -C c ls-files | wc -l) -eq 3 ]]
	run "$bin/stat-floor" -C c -v -j 2
	assert_success
	assert_output "paths $(tracked c) dirs 1 missing 0"
}

@test "bench - stat floor - deleted paths - visited and missing" {
	local gone
	gone=$(git -C r ls-files | grep / | head -1)
	rm -rf "r/${gone%/*}"
	run "$bin/stat-floor" -C r -v -j 2
	assert_success
	assert_output --regexp "^paths 200 dirs [0-9]+ missing [1-9][0-9]*$"
}

@test "bench - quick run - clean and dirty, counts match git" {
	local results before
	results=$bench/RESULTS.md
	before=$(cat "$results" 2>/dev/null || true)
	run "$bench/run" --quick --sizes 200 --out "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_line --regexp '^\| 200 \| clean \|'
	assert_line --regexp '^\| 200 \| dirty \|'
	assert_line --regexp '^\| 200 \| clean \|.*\| true / true \| same \|$'
	assert_line --regexp '^\| 200 \| dirty \|.*\| true / true \| same \|$'
	refute_output --partial 'appended to'
	[[ $(cat "$results" 2>/dev/null || true) == "$before" ]]
	assert_matches_git "$BATS_TEST_TMPDIR/out/trees/200-clean"
	assert_matches_git "$BATS_TEST_TMPDIR/out/trees/200-dirty"
	git_oracle "$BATS_TEST_TMPDIR/out/trees/200-dirty"
	[[ $ORACLE_staged -eq 1 && $ORACLE_unstaged -eq 1 ]]
	[[ $ORACLE_untracked -eq 1 ]]
}
