"""A script written for torch, untouched (it only ever says "cuda"): test_cuda_alias.py and
tests/browser/test_webgpu_bridge.py run it with and without install_as_torch(cuda="webgpu")."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return F.log_softmax(self.fc(x.flatten(1)), dim=1)


torch.manual_seed(0)
model = Net().to(device).eval()
x = torch.randn(3, 1, 8, 8, device=device)
with torch.no_grad():
    y = model(x)
if torch.cuda.is_available():
    torch.cuda.synchronize()
    print("GPU", torch.cuda.device_count(), torch.cuda.current_device(),
          torch.cuda.get_device_name(0))
print("ON", json.dumps([device, y.device.type, str(y.device), y.is_cuda,
                        str(next(model.parameters()).device)]))
print("OUT", json.dumps(y.cpu().tolist()))
