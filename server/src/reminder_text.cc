// The reminder catalog: one row per language and key. A new language is a new block of rows
// (and a catalog in web-client/src/i18n.ts); reminder_text_test.cc checks it is complete.
#include "reminder_text.h"

#include <algorithm>
#include <array>

namespace accord::server {
namespace {

struct Entry {
  std::string_view language, key, text;
};

constexpr std::array kCatalog = {
    Entry{"en", "subject", "Reminder: {title} awaits your signature"},
    Entry{"en", "body",
          "Dear {name},\n\n\"{title}\" is final and awaits the signature of {org}. As its "
          "signatory, you can sign it here:\n\n{link}\n"},
    Entry{"es", "subject", "Recordatorio: {title} espera su firma"},
    Entry{"es", "body",
          "Estimado/a {name}:\n\n«{title}» es definitiva y espera la firma de {org}. Como "
          "firmante de la organización, puede firmarla aquí:\n\n{link}\n"},
};

// Replaces each {name} of `text` in one pass, so that a value holding "{org}" stays as it is.
std::string Fill(std::string_view text,
                 const std::vector<std::pair<std::string_view, std::string_view>>& values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(open + 1, close - open - 1);
    auto it = std::find_if(values.begin(), values.end(),
                           [name](const auto& v) { return v.first == name; });
    out += text.substr(i, open - i);
    if (it != values.end()) {
      out += it->second;
    } else {
      out += text.substr(open, close - open + 1);
    }
    i = close + 1;
  }
  out += text.substr(std::min(i, text.size()));
  return out;
}

std::string_view Primary(std::string_view tag) { return tag.substr(0, tag.find_first_of("-_")); }

bool Known(std::string_view language) {
  const auto& langs = ReminderLanguages();
  return std::find(langs.begin(), langs.end(), language) != langs.end();
}

}  // namespace

const std::vector<std::string_view>& ReminderLanguages() {
  static const std::vector<std::string_view> kLanguages = {"en", "es"};
  return kLanguages;
}

const std::vector<std::string_view>& ReminderKeys() {
  static const std::vector<std::string_view> kKeys = {"subject", "body"};
  return kKeys;
}

std::optional<std::string_view> ReminderTemplate(std::string_view language, std::string_view key) {
  for (const Entry& e : kCatalog) {
    if (e.language == language && e.key == key) return e.text;
  }
  return std::nullopt;
}

std::string_view ReminderLanguage(std::string_view user_language,
                                  std::string_view statement_language) {
  for (std::string_view tag : {user_language, statement_language}) {
    std::string_view primary = Primary(tag);
    for (std::string_view lang : ReminderLanguages()) {
      if (lang == primary) return lang;
    }
  }
  return "en";
}

ReminderMail ReminderText(std::string_view language, std::string_view recipient,
                          std::string_view title, std::string_view organization,
                          std::string_view link) {
  if (!Known(language)) language = "en";
  const std::vector<std::pair<std::string_view, std::string_view>> values = {
      {"name", recipient}, {"title", title}, {"org", organization}, {"link", link}};
  auto text = [&](std::string_view key) {
    return Fill(ReminderTemplate(language, key).value_or(*ReminderTemplate("en", key)), values);
  };
  return {text("subject"), text("body")};
}

}  // namespace accord::server
