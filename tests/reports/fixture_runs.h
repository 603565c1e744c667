// The fixture run folders of the report tests, written by tests/reports/make_fixture_runs.py once per
// build folder (and again when the generator changes).
#pragma once

#include <string>

namespace reval::test {

// The folder holding aime24-q4km, aime24-f16, aime24-api, aime24-api-subset, swe-api and swe-f16.
// Fails the calling test (Catch REQUIRE) when the generator cannot run.
const std::string& fixture_runs_dir();

}  // namespace reval::test
