#include <zlib.h>

#include <catch2/catch.hpp>

#include "graders/swe/instance.h"
#include "graders/swe/run_spec.h"
#include "tests/support/test_support.h"

namespace swe = reval::graders::swe;
using reval::test::TempDir;
using reval::test::write_text_file;

namespace {

std::string row(const std::string& id, const std::string& extra = "") {
  return R"({"instance_id": ")" + id +
         R"(", "repo": "owner/name", "base_commit": "abc", "patch": "", "test_patch": "diff --git a/tests/test_x.py b/tests/test_x.py\n--- a/tests/test_x.py\n+++ b/tests/test_x.py\n@@ -1 +1 @@\n-a\n+b\n", "version": "1.0", "FAIL_TO_PASS": "[\"tests/test_x.py::test_a\"]", "PASS_TO_PASS": "[]")" +
         extra + "}";
}

void write_gzip(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

}  // namespace

TEST_CASE("instances load from JSONL and gzip JSONL with JSON-encoded test lists", "[graders][swe][instances]") {
  TempDir dir;
  const std::string text = row("a__b-1") + "\n\n" + row("a__b-2", R"(, "hints_text": "h", "extra_field": 7)") + "\n";
  write_text_file(dir.file("i.jsonl"), text);
  write_gzip(dir.file("i.jsonl.gz"), text);
  for (const std::string& path : {dir.file("i.jsonl"), dir.file("i.jsonl.gz")}) {
    auto instances = swe::load_instances(path);
    REQUIRE(instances.ok());
    REQUIRE(instances->size() == 2);
    CHECK((*instances)[0].fail_to_pass == std::vector<std::string>{"tests/test_x.py::test_a"});
    CHECK((*instances)[1].hints_text == "h");
    CHECK((*instances)[1].extra["extra_field"] == 7);
  }
}

TEST_CASE("instance errors name the file, line and field", "[graders][swe][instances]") {
  TempDir dir;
  write_text_file(dir.file("bad.jsonl"), row("x-1") + "\n" + R"({"instance_id": "x-2", "repo": "o/n"})" + "\n");
  auto missing = swe::load_instances(dir.file("bad.jsonl"));
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("bad.jsonl:2: x-2: base_commit: missing"));

  write_text_file(dir.file("list.jsonl"), row("x-1", "").substr(0, row("x-1").size() - 1) + R"(, "FAIL_TO_PASS": "[oops"})");
  auto bad_list = swe::load_instances(dir.file("list.jsonl"));
  REQUIRE_FALSE(bad_list.ok());
  CHECK_THAT(bad_list.status().message(), Catch::Contains("FAIL_TO_PASS"));

  write_text_file(dir.file("dup.jsonl"), row("x-1") + "\n" + row("x-1") + "\n");
  auto dup = swe::load_instances(dir.file("dup.jsonl"));
  REQUIRE_FALSE(dup.ok());
  CHECK_THAT(dup.status().message(), Catch::Contains("dup.jsonl:2: duplicate instance_id x-1"));

  write_text_file(dir.file("junk.jsonl"), "{not json\n");
  CHECK_THAT(swe::load_instances(dir.file("junk.jsonl")).status().message(), Catch::Contains("junk.jsonl:1"));
}

TEST_CASE("predictions load from JSONL, a JSON array or an object keyed by id", "[graders][swe][instances]") {
  TempDir dir;
  write_text_file(dir.file("p.jsonl"),
                  R"({"instance_id": "a-1", "model_name_or_path": "m", "model_patch": "diff"})" "\n"
                  R"({"instance_id": "a-2", "model_name_or_path": "m", "model_patch": null})" "\n");
  auto jsonl = swe::load_predictions(dir.file("p.jsonl"));
  REQUIRE(jsonl.ok());
  CHECK(jsonl->at("a-1").model_patch == "diff");
  CHECK(jsonl->at("a-2").patch_is_none);
  write_text_file(dir.file("p.json"), R"({"a-1": {"instance_id": "a-1", "model_patch": "x"}})");
  auto keyed = swe::load_predictions(dir.file("p.json"));
  REQUIRE(keyed.ok());
  CHECK(keyed->at("a-1").model_patch == "x");
  write_text_file(dir.file("bad.jsonl"), R"({"instance_id": "a-1", "model_patch": 5})" "\n");
  CHECK_THAT(swe::load_predictions(dir.file("bad.jsonl")).status().message(),
             Catch::Contains("bad.jsonl:1: model_patch"));
}

TEST_CASE("run specs come from the table by repo and version", "[graders][swe][specs]") {
  const swe::SpecTable& table = swe::SpecTable::builtin();
  auto django = table.lookup("django/django", "3.0");
  REQUIRE(django.ok());
  CHECK(django->test_cmd == "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1");
  CHECK(django->log_parser == "parse_log_django");
  CHECK(django->directives == swe::DirectiveStyle::kDjangoModules);
  CHECK(django->env.at("LC_ALL") == "en_US.UTF-8");
  auto sympy = table.lookup("sympy/sympy", "1.12");
  REQUIRE(sympy.ok());
  CHECK_THAT(sympy->test_cmd, Catch::Contains("bin/test -C --verbose"));
  auto sqlparse = table.lookup("andialbrecht/sqlparse", "0.5");
  REQUIRE(sqlparse.ok());
  CHECK(sqlparse->test_cmd == "python3 -m pytest -rA --tb=no -p no:cacheprovider");
  auto missing = table.lookup("django/django", "0.1");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("known: 1.11"));
}

TEST_CASE("test directives follow SWE-bench: data files dropped, Django paths as modules", "[graders][swe][specs]") {
  swe::SweInstance inst;
  inst.instance_id = "django__django-1";
  inst.repo = "django/django";
  inst.version = "3.0";
  inst.test_patch =
      "diff --git a/tests/auth_tests/test_validators.py b/tests/auth_tests/test_validators.py\n"
      "--- a/tests/auth_tests/test_validators.py\n+++ b/tests/auth_tests/test_validators.py\n@@ -1 +1 @@\n-a\n+b\n"
      "diff --git a/tests/validators/valid_urls.txt b/tests/validators/valid_urls.txt\n"
      "--- a/tests/validators/valid_urls.txt\n+++ b/tests/validators/valid_urls.txt\n@@ -1 +1 @@\n-a\n+b\n";
  auto spec = swe::resolve_run_spec(inst);
  REQUIRE(spec.ok());
  auto directives = swe::test_directives(inst, *spec);
  CHECK(directives == std::vector<std::string>{"auth_tests.test_validators"});
  CHECK(swe::full_test_command(*spec, directives) ==
        "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 auth_tests.test_validators");
}

TEST_CASE("instance fields override the table and stand in for unknown repos", "[graders][swe][specs]") {
  swe::SweInstance inst;
  inst.instance_id = "me__mine-1";
  inst.repo = "me/mine";
  inst.version = "9";
  CHECK_THAT(swe::resolve_run_spec(inst).status().message(), Catch::Contains("no run spec for repository me/mine"));
  inst.test_cmd = "python3 -m unittest -v";
  inst.log_parser = "parse_log_unittest";
  inst.test_directives = std::vector<std::string>{"tests/test it.py"};
  auto spec = swe::resolve_run_spec(inst);
  REQUIRE(spec.ok());
  CHECK(swe::full_test_command(*spec, swe::test_directives(inst, *spec)) == "python3 -m unittest -v 'tests/test it.py'");
}

TEST_CASE("spec tables with unknown fields are rejected naming repo and version", "[graders][swe][specs]") {
  auto bad = swe::SpecTable::parse(
      R"({"repos": {"o/n": {"default": {"test_cmd": "x", "log_parser": "p"}, "versions": {"1.0": {"tset_cmd": "y"}}}}})");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("o/n: 1.0: tset_cmd: unknown field"));
}
