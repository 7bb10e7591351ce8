// scratch_dir_test_support.h: the data directory a storage test opens its SQLite files in — one
// per test, under the system's temporary directory. Tests only; call from the test's thread
// (it reads the running test's name).
#ifndef ACCORD_SERVER_SCRATCH_DIR_TEST_SUPPORT_H_
#define ACCORD_SERVER_SCRATCH_DIR_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace accord::server::testing {

// <temp>/accord-<what>-test-<pid>-<test name>, empty: whatever an earlier crashed run left there
// is removed first. The pid keeps concurrent runs (ctest -j) apart, the test name the tests of
// one run. The caller removes it in TearDown, after closing the stores that use it.
inline std::filesystem::path ScratchDir(std::string_view what) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("accord-" + std::string(what) + "-test-" + std::to_string(getpid()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace accord::server::testing

#endif  // ACCORD_SERVER_SCRATCH_DIR_TEST_SUPPORT_H_
