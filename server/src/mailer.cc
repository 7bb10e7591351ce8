#include "mailer.h"

#include <pthread.h>
#include <sodium.h>

#include <csignal>
#include <cstdio>
#include <ctime>

namespace accord::server {
namespace {

std::string HeaderValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string EncodedWord(std::string_view text) {
  std::string b64(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.pop_back();  // the terminating NUL
  return "=?UTF-8?B?" + b64 + "?=";
}

// Writes `message` into `pipe` and closes it; true if all of it was taken and the command
// exited with 0. A command that exits without reading everything (a failing or misconfigured
// one) makes the write fail with EPIPE, and the SIGPIPE that comes with it would end the whole
// server: it is blocked for this thread meanwhile, and one left pending is discarded. (Blocked
// only after popen, so that the command itself runs with the usual signal mask.)
bool WriteAndClose(FILE* pipe, const std::string& message) {
  sigset_t pipe_only, previous;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &previous);
  size_t written = std::fwrite(message.data(), 1, message.size(), pipe);
  int status = pclose(pipe);
  if (!sigismember(&previous, SIGPIPE)) {
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
      timespec no_wait{0, 0};
      (void)sigtimedwait(&pipe_only, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }
  return written == message.size() && status == 0;
}

}  // namespace

std::string ComposeMail(std::string_view from, std::string_view to, std::string_view subject,
                        std::string_view body) {
  std::string s = HeaderValue(subject);
  std::string out;
  out += "From: " + HeaderValue(from) + "\n";
  out += "To: " + HeaderValue(to) + "\n";
  out += "Subject: " + (IsAscii(s) ? s : EncodedWord(s)) + "\n";
  out += "MIME-Version: 1.0\n";
  out += "Content-Type: text/plain; charset=utf-8\n";
  out += "Content-Transfer-Encoding: 8bit\n";
  out += "Auto-Submitted: auto-generated\n\n";
  out += body;
  if (out.back() != '\n') out += '\n';
  return out;
}

Mailer CommandMailer(std::string command, std::string from) {
  return [command = std::move(command), from = std::move(from)](
             const std::string& to, const std::string& subject, const std::string& body) {
    std::string message = ComposeMail(from, to, subject, body);
    FILE* pipe = popen(command.c_str(), "w");
    if (pipe == nullptr) return false;
    return WriteAndClose(pipe, message);
  };
}

}  // namespace accord::server
