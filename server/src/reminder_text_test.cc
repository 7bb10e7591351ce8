// The reminder catalog is complete (every language has every key, with English's placeholders)
// and picks the recipient's language, then the statement's, then English.
#include "reminder_text.h"

#include <gtest/gtest.h>

#include <string>

namespace accord::server {
namespace {

TEST(ReminderTextTest, EveryLanguageHasEveryKeyWithItsPlaceholders) {
  for (std::string_view key : ReminderKeys()) {
    auto english = ReminderTemplate("en", key);
    ASSERT_TRUE(english.has_value()) << key;
    for (std::string_view lang : ReminderLanguages()) {
      auto text = ReminderTemplate(lang, key);
      ASSERT_TRUE(text.has_value()) << lang << " lacks " << key;
      for (std::string_view p : {"{name}", "{title}", "{org}", "{link}"}) {
        EXPECT_EQ(english->find(p) != std::string_view::npos,
                  text->find(p) != std::string_view::npos)
            << lang << " " << key << " " << p;
      }
    }
  }
  EXPECT_FALSE(ReminderTemplate("fr", "subject").has_value());
}

TEST(ReminderTextTest, RecipientThenStatementThenEnglish) {
  EXPECT_EQ(ReminderLanguage("es", "en"), "es");
  EXPECT_EQ(ReminderLanguage("es-MX", "en"), "es");
  EXPECT_EQ(ReminderLanguage("fr", "es"), "es");
  EXPECT_EQ(ReminderLanguage("", "es-AR"), "es");
  EXPECT_EQ(ReminderLanguage("fr", "pt-BR"), "en");
  EXPECT_EQ(ReminderLanguage("", ""), "en");
}

TEST(ReminderTextTest, FillsThePlaceholdersOnce) {
  ReminderMail es = ReminderText("es", "Bea", "Paris {org}", "MST", "https://a.example/#/s");
  EXPECT_EQ(es.subject, "Recordatorio: Paris {org} espera su firma");
  EXPECT_EQ(es.body,
            "Estimado/a Bea:\n\n«Paris {org}» es definitiva y espera la firma de MST. Como "
            "firmante de la organización, puede firmarla aquí:\n\nhttps://a.example/#/s\n");
  ReminderMail unknown = ReminderText("fr", "Bea", "Paris", "MST", "L");
  EXPECT_EQ(unknown.subject, "Reminder: Paris awaits your signature");
}

}  // namespace
}  // namespace accord::server
