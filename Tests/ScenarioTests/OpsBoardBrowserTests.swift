import CrisisNotify
import Foundation
import Testing

/// The ops board in a real headless Chromium on a desk-sized window, opened with a link from
/// `crisisctl board-link`: it shows the open crises with their clock bars and who is on duty.
/// A screenshot is saved for CI (`.build/artifacts/board.png`); README's `docs/board.png` is
/// a copy of it.
@Suite struct OpsBoardBrowserTests {
    /// Opens the link, prints what a person would read first, and saves the screenshot.
    static let script = """
        import sys
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        link, shot = sys.argv[1], sys.argv[2]
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(link)
            print("h1: " + driver.find_element(By.TAG_NAME, "h1").text)
            for card in driver.find_elements(By.CSS_SELECTOR, "div.crisis h3"):
                print("crisis: " + card.text)
            for clock in driver.find_elements(By.CSS_SELECTOR, "div.clock"):
                bar = clock.find_element(By.CSS_SELECTOR, ".bar span")
                print("clock: " + clock.get_attribute("class") + " | " + clock.text.replace("\\n", " ") +
                      " | " + str(bar.size["width"]))
            for row in driver.find_elements(By.CSS_SELECTOR, "table tr"):
                print("row: " + row.text.replace("\\n", " "))
            driver.save_screenshot(shot)
        finally:
            driver.quit()
        """

    @Test(
        .enabled(
            if: integrationRequired || AckPageBrowserTests.browserInstalled,
            "needs chromium and chromium-driver (scripts/setup --tests)"))
    func aServiceLeadOpensTheBoardLinkAndSeesCrisesClocksAndWhoIsOnDuty() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let app = try await InProcessDaemon(
            config: OpsBoardTests.config(receiver: receiver.url), now: OpsBoardTests.t0)
        let (open, handled) = try await OpsBoardTests.raiseTwo(app)
        #expect(await eventually { app.log.contains("page failed") })
        app.clock.advance(by: 12 * 60)
        let link = try await OpsBoardTests.boardLink(app)

        let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("board.png").path
        let view = try await OwnThread.run {
            Result {
                try runBrowserScript(Self.script, [link, screenshot])
            }
        }.get()
        #expect(view.status == 0, "\(view.stderr)")
        let lines = view.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("h1: crisisd ops board"), "\(view.stdout)")
        #expect(lines.contains { $0.hasPrefix("crisis: \(open) violence") }, "\(view.stdout)")
        #expect(lines.contains { $0.hasPrefix("crisis: \(handled) death") }, "\(view.stdout)")
        // Clocks still running and clocks ended each have their bar.
        let running = lines.filter { $0.hasPrefix("clock: clock running") || $0.hasPrefix("clock: clock late") }
        #expect(!running.isEmpty, "\(view.stdout)")
        #expect(lines.contains { $0.hasPrefix("clock: clock met") }, "\(view.stdout)")
        #expect(lines.contains { $0.hasPrefix("row: chiefs rotation Anna Holm") }, "\(view.stdout)")
        #expect(!view.stdout.contains(OpsBoardTests.privateNote))
        #expect(!view.stdout.contains(OpsBoardTests.requesterName))
        #expect(FileManager.default.fileExists(atPath: screenshot))
        await app.stop()
    }
}
