// accord/status.h: the result of an operation that can fail, in the manner of LevelDB's Status.
//
// Every module returns Status or Result<T> across its public boundary instead of throwing.
// A Status is a code plus a human-readable message meant for logs and error replies; callers
// branch on the code, never on the message. Values are immutable and safe to copy between
// threads; a single object must not be mutated from two threads at once.
#ifndef ACCORD_STATUS_H_
#define ACCORD_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace accord {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,     // the caller's input is malformed or out of range
    kCorruption,          // stored or received bytes do not decode
    kNotFound,            // the named thing does not exist
    kAlreadyExists,       // a unique thing exists already
    kPermissionDenied,    // authenticated, but not allowed
    kUnauthenticated,     // no or bad credentials
    kResourceExhausted,   // a limit was reached (size, count, rate)
    kFailedPrecondition,  // the system is not in a state that allows this
    kIOError,             // the file system or database failed
    kInternal,            // a bug: an invariant does not hold
    kUnavailable,         // not now: shutting down or overloaded; try again later
  };

  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) { return {Code::kInvalidArgument, msg}; }
  static Status Corruption(std::string_view msg) { return {Code::kCorruption, msg}; }
  static Status NotFound(std::string_view msg) { return {Code::kNotFound, msg}; }
  static Status AlreadyExists(std::string_view msg) { return {Code::kAlreadyExists, msg}; }
  static Status PermissionDenied(std::string_view msg) { return {Code::kPermissionDenied, msg}; }
  static Status Unauthenticated(std::string_view msg) { return {Code::kUnauthenticated, msg}; }
  static Status ResourceExhausted(std::string_view msg) { return {Code::kResourceExhausted, msg}; }
  static Status FailedPrecondition(std::string_view msg) {
    return {Code::kFailedPrecondition, msg};
  }
  static Status IOError(std::string_view msg) { return {Code::kIOError, msg}; }
  static Status Internal(std::string_view msg) { return {Code::kInternal, msg}; }
  static Status Unavailable(std::string_view msg) { return {Code::kUnavailable, msg}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK", or "<code name>: <message>".
  std::string ToString() const {
    if (ok()) return "OK";
    return std::string(CodeName(code_)) + ": " + message_;
  }

  static std::string_view CodeName(Code code) {
    switch (code) {
      case Code::kOk:
        return "OK";
      case Code::kInvalidArgument:
        return "invalid argument";
      case Code::kCorruption:
        return "corruption";
      case Code::kNotFound:
        return "not found";
      case Code::kAlreadyExists:
        return "already exists";
      case Code::kPermissionDenied:
        return "permission denied";
      case Code::kUnauthenticated:
        return "unauthenticated";
      case Code::kResourceExhausted:
        return "resource exhausted";
      case Code::kFailedPrecondition:
        return "failed precondition";
      case Code::kIOError:
        return "I/O error";
      case Code::kInternal:
        return "internal error";
      case Code::kUnavailable:
        return "unavailable";
    }
    return "unknown";
  }

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T>: a T, or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace accord

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define ACCORD_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::accord::Status accord_status_ = (expr);        \
    if (!accord_status_.ok()) return accord_status_; \
  } while (0)

#endif  // ACCORD_STATUS_H_
