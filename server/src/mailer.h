// mailer.h: sends invitation and reset links by e-mail through the system's mail submission
// program (`sendmail -t`, as provided by msmtp, Postfix or Exim), which relays to the SMTP
// server the operator configured. accordd itself never speaks SMTP or holds SMTP credentials.
//
// Optional: without a [mail] command in the configuration, no mail is sent and links are
// shown to the secretariat to pass on.
//
// Thread-safe: each call runs its own process.
#ifndef ACCORD_SERVER_MAILER_H_
#define ACCORD_SERVER_MAILER_H_

#include <string>
#include <string_view>

#include "api.h"

namespace accord::server {

// A Mailer that pipes an RFC 5322 message (From, To, Subject, UTF-8 text body) into
// `command` (run by /bin/sh), which must read the recipients from the To header (`-t`).
// Returns false when the command cannot run or exits non-zero.
Mailer CommandMailer(std::string command, std::string from);

// The message CommandMailer writes, for tests: header values lose CR and LF (no header
// injection), the subject is RFC 2047-encoded when it is not ASCII.
std::string ComposeMail(std::string_view from, std::string_view to, std::string_view subject,
                        std::string_view body);

}  // namespace accord::server

#endif  // ACCORD_SERVER_MAILER_H_
