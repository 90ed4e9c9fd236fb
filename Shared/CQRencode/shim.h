// libqrencode (Debian's libqrencode-dev): QR codes for the printed slips' look-up links.
#include <qrencode.h>
