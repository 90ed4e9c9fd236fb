#include "csmtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *data;
    size_t length;
    size_t offset;
} csmtp_payload;

static size_t csmtp_read(char *buffer, size_t size, size_t count, void *context) {
    csmtp_payload *payload = context;
    size_t room = size * count;
    size_t left = payload->length - payload->offset;
    size_t taken = left < room ? left : room;
    memcpy(buffer, payload->data + payload->offset, taken);
    payload->offset += taken;
    return taken;
}

void csmtp_global_init(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int csmtp_send(const char *url, const char *username, const char *password, int require_tls, const char *ca_file,
               const char *from, const char *const *recipients, int recipient_count,
               const char *message, size_t length, long timeout_seconds,
               long *smtp_code, char *error, size_t error_size) {
    *smtp_code = 0;
    if (error_size > 0) error[0] = '\0';
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(error, error_size, "libcurl could not start a transfer");
        return -1;
    }
    char curl_error[CURL_ERROR_SIZE] = {0};
    struct curl_slist *rcpt = NULL;
    for (int index = 0; index < recipient_count; index++) rcpt = curl_slist_append(rcpt, recipients[index]);
    csmtp_payload payload = {message, length, 0};

    curl_easy_setopt(curl, CURLOPT_URL, url);
    if (username && *username) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, username);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password ? password : "");
    }
    curl_easy_setopt(curl, CURLOPT_USE_SSL, require_tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    if (ca_file && *ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, csmtp_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout_seconds < 10 ? timeout_seconds : 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);

    CURLcode result = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    *smtp_code = code;
    if (result != CURLE_OK) {
        snprintf(error, error_size, "%s", curl_error[0] ? curl_error : curl_easy_strerror(result));
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return (int)result;
}
