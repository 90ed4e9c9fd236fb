#ifndef CSMTP_H
#define CSMTP_H

#include <stddef.h>

/// Sends one message over SMTP with libcurl (whose curl_easy_setopt is variadic and so not callable from Swift).
/// url: smtp://host:port (STARTTLS when the server offers it, or always with require_tls) or smtps://host:port.
/// Returns libcurl's CURLcode (0 when the server accepted the message); smtp_code gets the server's last reply
/// code and error a sentence when it failed. Blocking: call it off the event loops.
int csmtp_send(const char *url, const char *username, const char *password, int require_tls, const char *ca_file,
               const char *from, const char *const *recipients, int recipient_count,
               const char *message, size_t length, long timeout_seconds,
               long *smtp_code, char *error, size_t error_size);

/// libcurl's process-wide set-up; call once before the first send.
void csmtp_global_init(void);

#endif
