#include "accord/crdt/function_ref.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "accord/crdt/doc.h"

namespace accord::crdt {
namespace {

int Twice(int x) { return 2 * x; }

int CallWith(FunctionRef<int(int)> f, int x) { return f(x); }
void RunOnce(FunctionRef<void()> f) { f(); }

TEST(FunctionRefTest, CallsALambdaTemporaryWithItsCaptures) {
  int base = 10;
  EXPECT_EQ(CallWith([&](int x) { return base + x; }, 5), 15);
  EXPECT_EQ(CallWith([base](int x) { return base * x; }, 3), 30);
}

TEST(FunctionRefTest, RefersToTheCallableRatherThanCopyingIt) {
  int calls = 0;
  auto counter = [&calls, n = 0]() mutable {
    ++n;
    calls = n;
  };
  FunctionRef<void()> ref(counter);
  ref();
  ref();
  // The lambda's own state advanced: the reference called the object, not a copy.
  EXPECT_EQ(calls, 2);
  counter();
  EXPECT_EQ(calls, 3);
  // A copy of the reference still refers to the same object.
  FunctionRef<void()> copy = ref;
  copy();
  EXPECT_EQ(calls, 4);
}

TEST(FunctionRefTest, AcceptsFunctionsFunctionPointersAndStdFunction) {
  EXPECT_EQ(CallWith(Twice, 4), 8);
  EXPECT_EQ(CallWith(&Twice, 5), 10);
  int (*ptr)(int) = Twice;
  FunctionRef<int(int)> from_ptr(ptr);
  ptr = nullptr;  // the pointer was copied, so changing the variable does not matter
  EXPECT_EQ(from_ptr(6), 12);
  std::function<int(int)> fn = [](int x) { return x + 1; };
  EXPECT_EQ(CallWith(fn, 1), 2);
}

TEST(FunctionRefTest, ConvertsTheResultAndForwardsArguments) {
  // A callable returning int bound where long is wanted; a move-only argument is forwarded.
  // The lambdas are named: a FunctionRef made from a temporary dangles after its statement.
  auto plus_one = [](std::unique_ptr<int> p) { return *p + 1; };
  FunctionRef<long(std::unique_ptr<int>)> f = plus_one;
  EXPECT_EQ(f(std::make_unique<int>(41)), 42L);
  std::string seen;
  auto remember = [&](const std::string& s) { seen = s; };
  FunctionRef<void(const std::string&)> g = remember;
  g("abc");
  EXPECT_EQ(seen, "abc");
}

TEST(FunctionRefTest, CallsAConstCallable) {
  const auto add = [](int x) { return x + 100; };
  EXPECT_EQ(CallWith(add, 1), 101);
}

TEST(FunctionRefTest, RejectsCallablesOfTheWrongSignature) {
  auto takes_string = [](const std::string&) { return 0; };
  static_assert(!std::is_convertible_v<decltype(takes_string), FunctionRef<int(int)>>);
  static_assert(std::is_convertible_v<decltype(takes_string), FunctionRef<int(const char*)>>);
  static_assert(std::is_trivially_copyable_v<FunctionRef<void()>>);
  static_assert(!std::is_default_constructible_v<FunctionRef<void()>>);
}

TEST(FunctionRefTest, RunsOnceAndInPlace) {
  int n = 0;
  RunOnce([&] { ++n; });
  EXPECT_EQ(n, 1);
}

TEST(FunctionRefTest, DocTransactTakesLambdasAndStdFunctions) {
  Doc doc(DocOptions{.client_id = 1});
  Text text = *doc.GetText("t");
  int transactions = 0;
  doc.OnAfterTransaction([&](const TransactionInfo&) { ++transactions; });
  doc.Transact([&] {
    ASSERT_TRUE(text.Insert(0, "ab").ok());
    ASSERT_TRUE(text.Insert(2, "c").ok());
  });
  EXPECT_EQ(transactions, 1);
  const std::function<void()> fn = [&] { ASSERT_TRUE(text.Delete(0, 1).ok()); };
  doc.Transact(fn);
  EXPECT_EQ(transactions, 2);
  EXPECT_EQ(text.ToString(), "bc");
}

}  // namespace
}  // namespace accord::crdt
