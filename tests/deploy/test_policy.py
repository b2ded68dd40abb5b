"""The Chromium managed policy (deploy/chromium/kiosk.json) and its rendering with video servers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
BASE = DEPLOY / "chromium" / "kiosk.json"
KIOSK = "http://127.0.0.1:8000"

# Policy names checked against Chromium's list (components/policy/resources/templates/
# policy_definitions/). A misspelt name is silently ignored by Chromium: this list catches it.
KNOWN_POLICIES = {
    "AllowDinosaurEasterEgg", "AllowFileSelectionDialogs", "AudioCaptureAllowed",
    "AudioCaptureAllowedUrls", "AutofillAddressEnabled", "AutofillCreditCardEnabled",
    "AutoplayAllowed", "BookmarkBarEnabled", "BrowserAddPersonEnabled",
    "BrowserGuestModeEnabled", "BrowserSignin", "DefaultBrowserSettingEnabled",
    "DefaultGeolocationSetting", "DefaultNotificationsSetting", "DefaultPopupsSetting",
    "DefaultSerialGuardSetting", "DefaultWebBluetoothGuardSetting", "DefaultWebHidGuardSetting",
    "DefaultWebUsbGuardSetting", "DeveloperToolsAvailability", "DownloadRestrictions",
    "ExtensionInstallBlocklist", "ForceEphemeralProfiles", "IncognitoModeAvailability",
    "MetricsReportingEnabled", "PasswordManagerEnabled", "PrintingEnabled",
    "PromotionalTabsEnabled", "SavingBrowserHistoryDisabled", "ScreenCaptureAllowed",
    "SearchSuggestEnabled", "SyncDisabled", "TaskManagerEndProcessEnabled", "TranslateEnabled",
    "URLAllowlist", "URLBlocklist", "VideoCaptureAllowed", "VideoCaptureAllowedUrls",
}


def render(*allow: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DEPLOY / "render_config.py"), "chromium-policy", str(BASE),
         *(f"--allow={url}" for url in allow)],
        capture_output=True, text=True, timeout=30,
    )


@pytest.fixture(scope="module")
def policy() -> dict[str, Any]:
    loaded = json.loads(BASE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_every_key_is_a_chromium_policy(policy: dict[str, Any]) -> None:
    assert set(policy) <= KNOWN_POLICIES, set(policy) - KNOWN_POLICIES


def test_only_the_kiosk_opens_and_only_it_gets_camera_and_microphone(
    policy: dict[str, Any],
) -> None:
    assert policy["URLBlocklist"] == ["*"]
    assert policy["URLAllowlist"] == [KIOSK]
    # Disabled: no prompt, and capture only for the listed origins.
    assert policy["VideoCaptureAllowed"] is False
    assert policy["AudioCaptureAllowed"] is False
    assert policy["VideoCaptureAllowedUrls"] == [KIOSK]
    assert policy["AudioCaptureAllowedUrls"] == [KIOSK]


def test_the_browser_is_locked_down(policy: dict[str, Any]) -> None:
    expected = {
        "AutoplayAllowed": True,
        "DeveloperToolsAvailability": 2,  # not allowed
        "TranslateEnabled": False,
        "PasswordManagerEnabled": False,
        "IncognitoModeAvailability": 2,  # forced
        "BrowserSignin": 0,  # disabled
        "DownloadRestrictions": 3,  # block all downloads
        "PrintingEnabled": False,  # tickets print on the ESC/POS printer
        "ExtensionInstallBlocklist": ["*"],
        "DefaultSerialGuardSetting": 2,  # the kiosk's devices are the server's, never a page's
        "DefaultWebUsbGuardSetting": 2,
    }
    assert {key: policy.get(key) for key in expected} == expected


def test_video_servers_join_the_allowlist_only() -> None:
    done = render("https://visio.example.org", "https://[*.]jitsi.example.net")
    assert done.returncode == 0, done.stderr
    rendered = json.loads(done.stdout)
    assert rendered["URLAllowlist"] == [
        KIOSK, "https://visio.example.org", "https://[*.]jitsi.example.net"
    ]
    assert rendered["VideoCaptureAllowedUrls"] == [KIOSK]
    assert {k: v for k, v in rendered.items() if k != "URLAllowlist"} == {
        k: v for k, v in json.loads(BASE.read_text(encoding="utf-8")).items()
        if k != "URLAllowlist"
    }


@pytest.mark.parametrize("bad", ["*", "javascript:alert(1)", "https://a b", ""])
def test_a_filter_that_opens_everything_or_is_no_url_is_refused(bad: str) -> None:
    done = render(bad)
    assert done.returncode != 0
    assert "not a URL filter" in done.stderr
