#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 02-hub-ping: 01-ping with the switch in hub mode (-hub).
MODE_ARGS=-hub TEST_NAME=02-hub-ping exec "$(dirname "$0")/01-ping.sh"
