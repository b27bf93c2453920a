import CrisisNotify
import Foundation
import Testing

/// The acknowledgement page in a real headless Chromium on a phone-sized window (Debian's
/// `chromium` and `chromium-driver`, Python's `selenium`, installed by `scripts/setup --tests`):
/// opening the link shows the crisis and acknowledges nothing; the button acknowledges; then
/// the page records `contacted`. A screenshot is saved for CI (`.build/artifacts/ack-page.png`).
@Suite struct AckPageBrowserTests {
    static let browserInstalled =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")

    /// Drives the browser: `view` opens the link and saves the screenshot; `ack` presses
    /// Acknowledge; `contacted` presses the contacted button. Prints what the page then says.
    static let script = """
        import sys
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        step, link, shot = sys.argv[1], sys.argv[2], sys.argv[3]
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,844"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(link)
            if step == "view":
                print("h1: " + driver.find_element(By.TAG_NAME, "h1").text)
                print("call: " + driver.find_element(By.CSS_SELECTOR, "a.call").get_attribute("href"))
                print("button: " + driver.find_element(By.CSS_SELECTOR, "button.primary").text)
                driver.save_screenshot(shot)
            elif step == "ack":
                driver.find_element(By.CSS_SELECTOR, "button.primary").click()
                # The answer is a new page: wait for it rather than read the old one.
                WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.ok"))
                print("ok: " + driver.find_element(By.CSS_SELECTOR, "p.ok").text)
            elif step == "contacted":
                driver.find_element(By.XPATH, "//button[text()='Contacted the affected person(s)']").click()
                notices = lambda d: " | ".join(p.text for p in d.find_elements(By.CSS_SELECTOR, "p.ok"))
                try:
                    WebDriverWait(driver, 10).until(lambda d: "Recorded:" in notices(d))
                except Exception:
                    pass
                print("ok: " + notices(driver))
        finally:
            driver.quit()
        """

    func browser(_ step: String, _ link: String, screenshot: String) async throws -> CommandResult {
        try await OwnThread.run {
            Result {
                try runBrowserScript(Self.script, [step, link, screenshot])
            }
        }.get()
    }

    @Test(
        .enabled(
            if: integrationRequired || browserInstalled, "needs chromium and chromium-driver (scripts/setup --tests)"))
    func aPsychologistOpensTheLinkOnAPhoneAcknowledgesAndRecordsContacted() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(
            config: Scenario.config(webhookURL: receiver.url, escalation: #"steps = ["rotation:chiefs"]"#),
            now: Date(timeIntervalSince1970: 1_800_000_000))
        let reply = try await app.request(
            "POST", "/v1/crises",
            json: #"{"category":"violence","site":"Albertslund Rådhus, 2nd floor","callback":"+45 20 00 00 00"}"#
        ).reply()
        let reference = try #require(reply.json["reference"] as? String)
        let link = try #require(await receiver.waitFor(1).first?.json["ack_url"] as? String)
        let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("ack-page.png").path

        let view = try await browser("view", link, screenshot: screenshot)
        #expect(view.status == 0, "\(view.stderr)")
        #expect(view.stdout.contains("h1: \(reference): violence"), "\(view.stdout)")
        #expect(view.stdout.contains("call: tel:+4520000000"))
        #expect(view.stdout.contains("button: Acknowledge"))
        #expect(FileManager.default.fileExists(atPath: screenshot))
        let status = try await app.ctl(["status", reference, "--json"])
        #expect(!status.stdout.contains("acknowledged_by"), "opening the page acknowledged nothing")

        let ack = try await browser("ack", link, screenshot: screenshot)
        #expect(ack.stdout.contains("ok: Acknowledged by Anna Holm at 09:00."), "\(ack.stdout)\(ack.stderr)")
        #expect(try await app.ctl(["status", reference, "--json"]).stdout.contains(#""acknowledged_by" : "anna""#))

        let contacted = try await browser("contacted", link, screenshot: screenshot)
        #expect(contacted.stdout.contains("Recorded: contacted."), "\(contacted.stdout)\(contacted.stderr)")
        #expect(try await app.ctl(["status", reference]).stdout.contains("contact      MET"))
        await app.stop()
    }
}
