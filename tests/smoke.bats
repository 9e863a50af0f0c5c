load helper
setup() { common_setup; }

@test "smoke - json matches git in a dirty repository" {
	new_repo r
	echo new > r/untracked.txt
	echo two >> r/tracked.txt
	assert_matches_git r
}
