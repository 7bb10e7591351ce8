// reminder_text.h: the texts of the e-mail that reminds an organization's signatory to sign a
// final statement (api_signon_dashboard.cc), in the languages the web client speaks. Pure
// functions over a constant catalog; callable from any thread.
#ifndef ACCORD_SERVER_REMINDER_TEXT_H_
#define ACCORD_SERVER_REMINDER_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accord::server {

// The catalog's languages ("en", "es": those of web-client/src/i18n.ts) and its keys.
const std::vector<std::string_view>& ReminderLanguages();
const std::vector<std::string_view>& ReminderKeys();
// The text of `key` in `language`, with its {placeholders}; nullopt when the catalog lacks it.
std::optional<std::string_view> ReminderTemplate(std::string_view language, std::string_view key);

// The language to write to a recipient in: the user's preference when the catalog has it
// (its primary subtag: "es-MX" -> "es"), else the statement's source language, else English.
std::string_view ReminderLanguage(std::string_view user_language,
                                  std::string_view statement_language);

struct ReminderMail {
  std::string subject;
  std::string body;
};
// The reminder in `language` (one of ReminderLanguages(); English otherwise) to `recipient`,
// signatory of `organization`, about the statement `title`, to sign at `link`.
ReminderMail ReminderText(std::string_view language, std::string_view recipient,
                          std::string_view title, std::string_view organization,
                          std::string_view link);

}  // namespace accord::server

#endif  // ACCORD_SERVER_REMINDER_TEXT_H_
